// Answers coded part by part in the report: T13 and T16 count a person, or an institution, once per
// theme however many of their parts carry it, and their notes say how much was coded.
import * as codingService from '../../../server/analysis/coding/coding.service';
import * as segmentService from '../../../server/analysis/coding/segment.service';
import { tablesOf, type Report, type TableId } from '../../../server/analysis/report/report-model';
import { institutionSwot, type InstitutionSwotAnswer, type SwotTheme } from '../../../server/analysis/report/swot-candidates';
import { builtReport, REPORT_DAY, REPORT_SURVEYS, type Seeded, seedReport, storeResponse } from '../../helpers/report';
import { createTestApp, type TestApp } from '../../helpers/test-app';

const actor = { userId: null, email: 'test', ip: null };
const tableOf = (report: Report, id: TableId) => tablesOf(report).find((table) => table.id === id)!;
const rows = (report: Report, id: TableId) => tableOf(report, id).rows.map((row) => row.cells);

describe('institutionSwot with an answer split into parts', () => {
  const nufus: SwotTheme = { id: 1, name: 'Nüfus yapısı', swotKind: 'strength', keywords: [] };
  const answer: InstitutionSwotAnswer = { answerId: 10, stakeholderId: 1, group: 'universite', roleKind: 'strength', text: 'Genç nüfus\nÜniversite varlığı\nTarihi doku', themes: [nufus] };

  it('takes the parts as the lines: a part coded with a theme is covered whatever its words, the others stay candidates', () => {
    const { candidates, mentions } = institutionSwot(
      [{ ...answer, parts: [{ text: 'Genç nüfus', themes: [nufus] }, { text: 'Üniversite varlığı', themes: [nufus] }, { text: 'Tarihi doku', themes: [] }] }],
      (line) => line,
    );
    expect(candidates.map((c) => c.text)).toEqual(['Tarihi doku']);
    // Two parts carry the theme: the institution is mentioned once.
    expect(mentions).toEqual([{ kind: 'strength', name: 'Nüfus yapısı', source: { kind: 'institution', stakeholderId: 1, group: 'universite' } }]);
  });

  it('keeps a part not coded yet as a candidate', () => {
    const { candidates } = institutionSwot([{ ...answer, themes: null, parts: [{ text: 'Genç nüfus', themes: null }, { text: 'Üniversite varlığı', themes: null }] }], (line) => line);
    expect(candidates.map((c) => c.text)).toEqual(['Genç nüfus', 'Üniversite varlığı']);
  });
});

describe('the report over answers coded part by part', () => {
  let t: TestApp;
  let seeded: Seeded;
  beforeAll(async () => {
    t = await createTestApp({ surveysDir: REPORT_SURVEYS });
    seeded = await seedReport(t);
    t.clock.now = REPORT_DAY;
  }, 60_000);
  afterAll(async () => {
    expect(t.logged).toEqual([]);
    await t.close();
  });

  const answerIdOf = async (slug: string, questionId: string, text: string) =>
    (
      await t.db
        .selectFrom('answers as a')
        .innerJoin('responses as r', 'r.id', 'a.response_id')
        .select('a.id')
        .where('r.survey_slug', '=', slug)
        .where('a.question_id', '=', questionId)
        .where('a.text', '=', text)
        .executeTakeFirstOrThrow()
    ).id;

  async function splitAndCode(slug: string, answerId: number, parts: string[], themes: number[][]) {
    const split = await segmentService.splitAnswer(t.db, slug, answerId, parts, actor, t.clock.now);
    if (split.kind !== 'split') throw new Error(split.kind);
    const segments = await t.db.selectFrom('answer_segments').select('id').where('answer_id', '=', answerId).orderBy('position').execute();
    for (const [i, { id }] of segments.entries()) {
      const outcome = await segmentService.codeSegment(t.db, slug, answerId, id, themes[i]!, null, t.clock.now);
      if (outcome.kind !== 'coded') throw new Error(outcome.kind);
    }
  }

  it('T13 counts a person once per theme although two of their parts carry it, and its notes give the share coded and the parts', async () => {
    const before = await builtReport(t, { suppression: 1 });
    expect(rows(before, 'T13').map((row) => row.slice(0, 4))).toEqual([
      ['Atık toplama', 'Temizlik', 3, 50],
      ['Park bakımı', 'Parklar', 2, 33.3],
      ['Kaldırımlar', 'Yollar', 1, 16.7],
    ]);
    expect(tableOf(before, 'T13').notes).toEqual([expect.stringContaining('6 açık uçlu yanıttan 6 tanesi kodlanmıştır (%100)')]);

    const survey = t.catalog.find('rapor-anketi')!;
    const text = 'Çöpler geç toplanıyor.\nÇöp kutuları taşıyor.\nParklar karanlık';
    await storeResponse(t, survey, { cinsiyet: 'kadin', yas: 'genc', mahalle: 'merkez', gorus: text });
    await storeResponse(t, survey, { cinsiyet: 'erkek', yas: 'orta', mahalle: 'cami', gorus: 'Henüz kodlanmadı' });
    const answerId = await answerIdOf('rapor-anketi', 'gorus', text);
    await splitAndCode('rapor-anketi', answerId, text.split('\n'), [[seeded.themes.atik], [seeded.themes.atik], [seeded.themes.park]]);

    const report = await builtReport(t, { suppression: 1 });
    // Counting parts would give "Atık toplama" 5; the person is one of 7 with a coded answer.
    expect(rows(report, 'T13').map((row) => row.slice(0, 4))).toEqual([
      ['Atık toplama', 'Temizlik', 4, 57.1],
      ['Park bakımı', 'Parklar', 3, 42.9],
      ['Kaldırımlar', 'Yollar', 1, 14.3],
    ]);
    expect(tableOf(report, 'T13').notes).toEqual([
      expect.stringContaining('8 açık uçlu yanıttan 7 tanesi kodlanmıştır (%87,5)'),
      'Birden fazla görüş içeren 1 yanıt 3 parçaya bölünerek parça parça kodlanmıştır; aynı temayı taşıyan parçaları olan kişi o temada bir kez sayılmıştır.',
    ]);
    // T16 takes the citizens behind a coded theme from the same count.
    const atik = tableOf(report, 'T16').rows.find((row) => row.key === 'weakness:theme:atik toplama')!;
    expect(atik.cells.slice(0, 2)).toEqual(['Atık toplama', 4]);
  });

  it('T16 counts an institution once under a theme two of its parts carry, takes coded parts out of the candidates, and says how many GZFT answers are coded', async () => {
    const before = await builtReport(t);
    expect(tableOf(before, 'T16').notes.at(-1)).toBe('Kurumların 4 GZFT yanıtından 0 tanesi kodlanmıştır (%0); kodlanmayan yanıtların satırları aday ifade olarak gözden geçirilir.');
    const pendingBefore = Number(/(\d+) tanesi gözden geçirilmeyi beklemektedir/.exec(tableOf(before, 'T16').notes[1]!)?.[1]);

    const created = await codingService.createTheme(t.db, 'rapor-kurum-formu', { name: 'Nüfus yapısı', areaId: null, swotKind: 'strength', keywords: [] }, actor, t.clock.now);
    if (created.kind !== 'saved') throw new Error(created.kind);
    const answerId = await answerIdOf('rapor-kurum-formu', 'guclu', 'Genç nüfus\nÜniversite varlığı');
    await splitAndCode('rapor-kurum-formu', answerId, ['Genç nüfus', 'Üniversite varlığı'], [[created.id], [created.id]]);

    const report = await builtReport(t);
    const t16 = tableOf(report, 'T16');
    const row = t16.rows.find((r) => r.key === 'strength:theme:nufus yapisi')!;
    expect(row.cells).toEqual(['Nüfus yapısı', 1, 'Üniversite']);
    // Both lines are the theme's now, though "Üniversite varlığı" names none of its words.
    expect(t16.notes[1]).toContain(`${pendingBefore - 2} tanesi gözden geçirilmeyi beklemektedir`);
    expect(t16.notes.at(-1)).toBe('Kurumların 4 GZFT yanıtından 1 tanesi kodlanmıştır (%25); kodlanmayan yanıtların satırları aday ifade olarak gözden geçirilir.');
  });
});
