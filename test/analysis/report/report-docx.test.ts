// The DOCX as Word reads it (word/document.xml and word/styles.xml): captions numbered by SEQ
// fields inside bookmarks, table references as REF fields to them, the text marked Turkish, the
// named styles a plan template takes over, and the first table and figure number a planner sets.
import { DOMParser } from '@xmldom/xmldom';
import JSZip from 'jszip';
import type TestAgent from 'supertest/lib/agent';
import * as findingRepository from '../../../server/analysis/report/finding.repository';
import { buildReport } from '../../../server/analysis/report/report-builder';
import { loadReportData } from '../../../server/analysis/report/report-data';
import { reportDocx } from '../../../server/analysis/report/report-docx';
import * as reportSettings from '../../../server/analysis/report/report-settings';
import { reportWords } from '../../../server/analysis/report/report-words';
import { quadrantsOf, tablesOf } from '../../../server/analysis/report/report-model';
import { createI18n } from '../../../server/platform/i18n/i18n';
import { addUser, csrfFrom, downloadBinary, logIn } from '../../helpers/admin';
import { acceptSwotCandidates, REPORT_DAY, REPORT_SURVEYS, seedReport, type Seeded } from '../../helpers/report';
import { createTestApp, type TestApp } from '../../helpers/test-app';

const i18n = createI18n();
let t: TestApp;
let seeded: Seeded;
let planner: TestAgent;

beforeAll(async () => {
  t = await createTestApp({ surveysDir: REPORT_SURVEYS });
  seeded = await seedReport(t);
  t.clock.now = REPORT_DAY;
  planner = await logIn(t, await addUser(t, 'planner'));
  await findingRepository.insert(
    t.db,
    { finding: 'Atık toplama en sık dile getirilen sorun', need: 'Toplama sıklığı artırılmalı', areaId: 'temizlik', evidence: [{ tableKey: 'T13', rowKey: String(seeded.themes.atik) }, { tableKey: 'T11', rowKey: 'temizlik' }] },
    t.clock.now,
  );
}, 60_000);
afterAll(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

interface Docx {
  document: Document;
  styles: Document;
}

async function docx(changes: Partial<reportSettings.ReportSettings> = {}): Promise<Docx> {
  const settings = { ...(await reportSettings.load(t.db, t.catalog.municipality, t.catalog.surveys)), ...changes };
  const words = reportWords(i18n, settings.language, 'Europe/Istanbul');
  return open(await reportDocx(buildReport(await loadReportData(t.db, t.catalog, settings, t.clock.now), words), words));
}

async function open(buffer: Buffer): Promise<Docx> {
  const zip = await JSZip.loadAsync(buffer);
  const parse = async (name: string) => new DOMParser().parseFromString(await zip.file(name)!.async('string'), 'text/xml') as unknown as Document;
  return { document: await parse('word/document.xml'), styles: await parse('word/styles.xml') };
}

const all = (node: Document | Element, tag: string) => Array.from(node.getElementsByTagName(tag));
const textOf = (node: Element) => all(node, 'w:t').map((n) => n.textContent).join('');
const styleOf = (p: Element) => all(p, 'w:pStyle')[0]?.getAttribute('w:val');

/** A caption as Word sees it: the bookmark's name and text, and the SEQ field's instruction and shown number. */
function captions(doc: Document) {
  return all(doc, 'w:p')
    .filter((p) => styleOf(p) === 'Caption')
    .map((p) => {
      const start = all(p, 'w:bookmarkStart')[0]!;
      const field = all(p, 'w:fldSimple')[0]!;
      // The bookmark holds the children of the paragraph from its start to its end.
      const children = Array.from(p.childNodes) as Element[];
      const from = children.indexOf(start);
      const to = children.findIndex((c) => c.nodeName === 'w:bookmarkEnd' && c.getAttribute('w:id') === start.getAttribute('w:id'));
      const marked = children.slice(from + 1, to).map((c) => (c.nodeName === 'w:t' ? c.textContent : textOf(c))).join('');
      return { bookmark: start.getAttribute('w:name'), marked, instr: field.getAttribute('w:instr'), shown: textOf(field), text: textOf(p) };
    });
}

/** The REF fields of an element: what each points at and what it shows. */
const refs = (node: Element) =>
  all(node, 'w:fldSimple')
    .filter((f) => f.getAttribute('w:instr')!.startsWith('REF '))
    .map((f) => ({ instr: f.getAttribute('w:instr'), shown: textOf(f) }));

describe('the DOCX', () => {
  let doc: Docx;
  beforeAll(async () => {
    const res = await downloadBinary(planner, '/admin/report.docx');
    expect(res.status).toBe(200);
    doc = await open(res.body as Buffer);
  });

  it('numbers every caption with a SEQ field inside a bookmark named after the table or figure', () => {
    const list = captions(doc.document);
    expect(list).toHaveLength(23);
    expect(list[0]).toEqual({ bookmark: '_Tablo_T1', marked: 'Tablo 1', instr: 'SEQ Tablo \\* ARABIC', shown: '1', text: 'Tablo 1: Paydaş Listesi' });
    expect(list.find((c) => c.bookmark === '_Tablo_T11')).toMatchObject({ marked: 'Tablo 11', instr: 'SEQ Tablo \\* ARABIC', shown: '11' });
    expect(list.find((c) => c.bookmark === '_Grafik_F2')).toMatchObject({ marked: 'Grafik 2', instr: 'SEQ Grafik \\* ARABIC', shown: '2' });
    expect(new Set(list.map((c) => c.bookmark)).size).toBe(23);
  });

  it('cites tables in the findings and the introduction by REF fields to those bookmarks, showing today\'s numbers', () => {
    const t17 = all(doc.document, 'w:tbl').at(-1)!;
    const evidence = all(all(t17, 'w:tr')[1]!, 'w:tc')[2]!;
    expect(textOf(evidence)).toBe('Tablo 11 (Temizlik); Tablo 13 (Atık toplama)');
    expect(refs(evidence)).toEqual([
      { instr: 'REF _Tablo_T11 \\h', shown: 'Tablo 11' },
      { instr: 'REF _Tablo_T13 \\h', shown: 'Tablo 13' },
    ]);
    const methods = all(doc.document, 'w:p').find((p) => textOf(p).startsWith('Paydaş görüşleri şu yöntemlerle alınmıştır'))!;
    expect(textOf(methods)).toMatch(/^Paydaş görüşleri şu yöntemlerle alınmıştır \(Tablo 4\): /);
    expect(refs(methods)).toEqual([{ instr: 'REF _Tablo_T4 \\h', shown: 'Tablo 4' }]);
  });

  it('marks its text Turkish in the document defaults and in every style it uses', () => {
    const defaults = all(doc.styles, 'w:docDefaults')[0]!;
    expect(all(defaults, 'w:lang')[0]!.getAttribute('w:val')).toBe('tr-TR');
    const styles = new Map(all(doc.styles, 'w:style').map((s) => [s.getAttribute('w:styleId'), s]));
    for (const id of ['Normal', 'Heading2', 'Heading3', 'Caption', 'TableText', 'TableNote', 'PaydasTable']) {
      expect([id, all(styles.get(id)!, 'w:lang')[0]?.getAttribute('w:val')]).toEqual([id, 'tr-TR']);
    }
  });

  it('uses named styles a plan template can take over: headings by level, Caption, Table Note, the table style "Paydaş Tablo" on every table', () => {
    const styles = new Map(all(doc.styles, 'w:style').map((s) => [s.getAttribute('w:styleId'), all(s, 'w:name')[0]!.getAttribute('w:val')]));
    expect(styles.get('PaydasTable')).toBe('Paydaş Tablo');
    expect(styles.get('TableNote')).toBe('Table Note');
    expect(styles.get('Heading2')).toMatch(/^heading 2$/i);
    expect(styles.get('Caption')).toMatch(/^caption$/i);
    const used = all(doc.document, 'w:p').map(styleOf);
    expect(used.filter((s) => s === 'Heading2')).toHaveLength(1);
    // The title one level above the numbered sections, as the plan's situation analysis nests them.
    const sections = all(doc.document, 'w:p').filter((p) => styleOf(p) === 'Heading3').map(textOf);
    expect(sections.slice(0, 2)).toEqual(['1. Giriş', '2. Paydaşların Tespiti ve Önceliklendirilmesi']);
    expect(sections.every((text, i) => text.startsWith(`${i + 1}. `))).toBe(true);
    const tables = all(doc.document, 'w:tbl');
    expect(tables).toHaveLength(20);
    for (const table of tables) expect(all(table, 'w:tblStyle')[0]!.getAttribute('w:val')).toBe('PaydasTable');
  });

  it('gives every table fixed column widths that fill the page, a repeating header row and rows that do not split', () => {
    const tables = all(doc.document, 'w:tbl');
    // The GZFT matrix is the exception: its quadrants' names are inside it, and a quadrant's items may run onto the next page.
    const matrix = tables.filter((table) => all(table, 'w:gridCol').length === 2 && all(table, 'w:tblHeader').length === 0);
    expect(matrix).toHaveLength(1);
    for (const table of tables) {
      const grid = all(table, 'w:gridCol').map((c) => Number(c.getAttribute('w:w')));
      expect(grid.reduce((a, b) => a + b, 0)).toBe(11906 - 2 * 1134);
      if (table === matrix[0]) {
        expect(all(table, 'w:cantSplit').length).toBe(2);
        continue;
      }
      expect(all(table, 'w:tblHeader')).toHaveLength(1);
      expect(all(table, 'w:cantSplit').length).toBe(all(table, 'w:tr').length);
    }
  });
});

describe('the first table and figure number', () => {
  it('start the SEQ fields there, restarting each sequence once, and the references follow', async () => {
    const doc = await docx({ firstTable: 5, firstFigure: 2 });
    const list = captions(doc.document);
    expect(list[0]).toMatchObject({ bookmark: '_Tablo_T1', marked: 'Tablo 5', instr: 'SEQ Tablo \\* ARABIC \\r 5', shown: '5' });
    expect(list[1]).toMatchObject({ bookmark: '_Tablo_T2', instr: 'SEQ Tablo \\* ARABIC', shown: '6' });
    expect(list.find((c) => c.bookmark === '_Grafik_F1')).toMatchObject({ marked: 'Grafik 2', instr: 'SEQ Grafik \\* ARABIC \\r 2' });
    const t17 = all(doc.document, 'w:tbl').at(-1)!;
    expect(refs(all(all(t17, 'w:tr')[1]!, 'w:tc')[2]!).map((r) => r.shown)).toEqual(['Tablo 15', 'Tablo 17']);
  });

  it('in English the fields and the language are English', async () => {
    const doc = await docx({ language: 'en' });
    expect(captions(doc.document)[0]).toMatchObject({ marked: 'Table 1', instr: 'SEQ Table \\* ARABIC' });
    expect(all(all(doc.styles, 'w:docDefaults')[0]!, 'w:lang')[0]!.getAttribute('w:val')).toBe('en-US');
  });

  it('are set on the settings form, kept when left out, and refused below 1 with nothing saved', async () => {
    const page = await planner.get('/admin/report/settings');
    expect(page.text).toContain('name="first_table"');
    const form = `_csrf=${encodeURIComponent(csrfFrom(page.text))}&municipality_name=Deneme+Belediyesi&plan_start=2025&plan_end=2029&surveys=rapor-anketi&surveys=rapor-kurum-formu&citizen_survey=rapor-anketi&threshold=3&suppression=5&language=tr`;
    const bad = await planner.post('/admin/report/settings').type('form').send(`${form}&first_table=0&first_figure=2`);
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('İlk tablo ve grafik numarası 1 ile 999 arasında bir tam sayı olmalı.');
    expect(await t.db.selectFrom('settings').select('value').where('key', '=', 'report_settings').executeTakeFirst()).toBeUndefined();

    expect((await planner.post('/admin/report/settings').type('form').send(`${form}&first_table=7&first_figure=3`)).status).toBe(303);
    expect(captions((await docx()).document)[0]).toMatchObject({ marked: 'Tablo 7', shown: '7' });
    expect((await planner.post('/admin/report/settings').type('form').send(form)).status).toBe(303);
    const kept = await reportSettings.load(t.db, t.catalog.municipality, t.catalog.surveys);
    expect([kept.firstTable, kept.firstFigure]).toEqual([7, 3]);
    const shown = await planner.get('/admin/report');
    expect(shown.text).toContain('Tablo 7: Paydaş Listesi');
    expect(shown.text).toContain('Grafik 3: ');
  });
});

describe('the GZFT matrix and the institutions\' main points in the DOCX', () => {
  let doc: Docx;
  beforeAll(async () => {
    expect(await acceptSwotCandidates(planner)).toBeGreaterThan(0);
    doc = await docx();
  });

  /** The table right after the caption bookmarked for it (the numbers follow the settings). */
  const tableAfter = (id: string): Element => {
    const body = all(doc.document, 'w:body')[0]!;
    const children = Array.from(body.childNodes) as Element[];
    const at = children.findIndex((c) => c.nodeName === 'w:p' && all(c, 'w:bookmarkStart').some((b) => b.getAttribute('w:name') === `_Tablo_${id}`));
    expect(at).toBeGreaterThanOrEqual(0);
    return children.slice(at).find((c) => c.nodeName === 'w:tbl')!;
  };

  it('lays T16 out as the GZFT matrix plans use: strengths and weaknesses side by side, then opportunities and threats, every item with its sources', async () => {
    const settings = await reportSettings.load(t.db, t.catalog.municipality, t.catalog.surveys);
    const words = reportWords(i18n, settings.language, 'Europe/Istanbul');
    const t16 = tablesOf(buildReport(await loadReportData(t.db, t.catalog, settings, t.clock.now), words)).find((table) => table.id === 'T16')!;
    const matrix = tableAfter('T16');
    const rows = all(matrix, 'w:tr').map((tr) => all(tr, 'w:tc'));
    expect(rows.map((cells) => cells.length)).toEqual([2, 2, 2, 2]);
    const name = (kind: string) => i18n.translators.tr(`report:swot_groups.${kind}`);
    expect([...rows[0]!, ...rows[2]!].map(textOf)).toEqual(['strength', 'weakness', 'opportunity', 'threat'].map(name));
    // Each quadrant's cell holds its items, one paragraph each, as the table's rows have them.
    const quadrants = quadrantsOf(t16, words.formatCell);
    const cells = [...rows[1]!, ...rows[3]!];
    quadrants.forEach((quadrant, q) => {
      const paragraphs = all(cells[q]!, 'w:p').map(textOf);
      expect(paragraphs).toEqual(quadrant.items.length === 0 ? ['–'] : quadrant.items.map((item) => `${item.text} (${item.detail})`));
    });
    const items = quadrants.flatMap((q) => q.items);
    expect(items).toHaveLength(t16.rows.length);
    const sidewalks = t16.rows.find((row) => row.key.startsWith('weakness:'))!;
    expect(quadrants[1]!.items[0]!.detail).toContain(words.formatCell(sidewalks.cells[1]!, 'count'));
  });

  it('keeps an institution\'s GZFT answers one line per quadrant in T14', () => {
    const t14 = tableAfter('T14');
    const cells = all(t14, 'w:tc').filter((tc) => /^G: /.test(textOf(tc)));
    expect(cells.length).toBeGreaterThan(0);
    for (const cell of cells) {
      // One run per line, every line after the first on a line of its own.
      const lines = all(cell, 'w:r').map((r) => ({ text: textOf(r), broken: all(r, 'w:br').length > 0 }));
      expect(lines[0]!.text).toMatch(/^G: /);
      expect(lines.slice(1).every((line) => line.broken && /^[ZFT]: /.test(line.text))).toBe(true);
      expect(lines.length).toBeGreaterThan(1);
    }
  });
});
