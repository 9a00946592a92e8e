// A small consultation whose every report number can be counted by hand: the fixture surveys in
// test/fixtures/report, five stakeholders, two institutions answering, two meetings held, two
// activities recorded by hand, coded open answers and a finding. See report.test.ts for the sums.
import path from 'node:path';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import * as codingService from '../../server/analysis/coding/coding.service';
import * as activityRepository from '../../server/analysis/report/activity.repository';
import { meetingRepository, meetingService } from '../../server/meetings';
import { invitationService } from '../../server/opinions';
import { projectRoot } from '../../server/platform/paths';
import { stakeholderService, type StakeholderInput } from '../../server/stakeholders';
import { answerRows } from '../../server/surveys/survey-answers';
import { allQuestions, type Survey } from '../../server/surveys/survey-definition';
import { evaluate } from '../../server/surveys/survey-flow';
import * as responseRepository from '../../server/surveys/response.repository';
import type { ResponseChannel } from '../../server/surveys';
import { buildReport } from '../../server/analysis/report/report-builder';
import { loadReportData } from '../../server/analysis/report/report-data';
import type { Report } from '../../server/analysis/report/report-model';
import * as reportSettings from '../../server/analysis/report/report-settings';
import { reportWords } from '../../server/analysis/report/report-words';
import { createI18n } from '../../server/platform/i18n/i18n';
import { csrfFrom } from './admin';
import type { Fields } from './forms';
import { mailedLink } from './invitation';
import { meetingInput, signUp } from './meetings';
import { completeSurvey } from './survey-walker';
import type { TestApp } from './test-app';

export const REPORT_SURVEYS = path.join(projectRoot, 'test', 'fixtures', 'report');
/** After both meetings: the report is built then. */
export const REPORT_DAY = new Date('2026-12-10T09:00:00Z');
const actor = { userId: null, email: 'test', ip: null };

/** One response through the real answer parser, stored as the survey pages would store it. */
export async function storeResponse(
  t: TestApp,
  survey: Survey,
  fields: Fields,
  options: { channel?: ResponseChannel; draft?: boolean; excluded?: boolean } = {},
): Promise<number> {
  const id = await responseRepository.insertResponse(t.db, { survey, tokenHash: `h${Math.random()}`, fields, language: 'tr', channel: options.channel ?? 'online', now: t.clock.now });
  if (options.draft) return id;
  const evaluation = evaluate(survey, fields);
  if (evaluation.errors.size > 0) throw new Error(`Invalid fixture response: ${JSON.stringify([...evaluation.errors])}`);
  const rows = allQuestions(survey).flatMap((q) => {
    const answer = evaluation.answers.get(q.id);
    return answer ? answerRows(q.id, answer) : [];
  });
  await responseRepository.insertAnswers(t.db, id, rows);
  await responseRepository.markComplete(t.db, id, { idempotencyKey: `k${id}`, language: 'tr', definitionHash: survey.hash, now: t.clock.now });
  if (options.excluded) await responseRepository.setExclusion(t.db, id, { at: t.clock.now.toISOString(), by: null, reason: 'test', note: null });
  return id;
}

const stakeholder = (input: Partial<StakeholderInput> & Pick<StakeholderInput, 'name' | 'group'>): StakeholderInput => ({
  scope: 'external',
  type: null,
  emails: [`${input.name.length}@example.org`],
  contactPerson: null,
  areas: [],
  reason: null,
  importance: 3,
  influence: 3,
  language: 'tr',
  ...input,
});

export interface Seeded {
  stakeholders: Record<'fen' | 'universite' | 'mimarlar' | 'cevre' | 'muhtar' | 'eski', number>;
  themes: Record<'atik' | 'park' | 'kaldirim', number>;
  meetings: number[];
}

const satisfaction = (temizlik: string, parklar: string, yollar?: string): Fields => ({
  'memnuniyet.temizlik': temizlik,
  'memnuniyet.parklar': parklar,
  ...(yollar ? { 'memnuniyet.yollar': yollar } : {}),
});

export async function seedReport(t: TestApp): Promise<Seeded> {
  const citizen = t.catalog.find('rapor-anketi')!;
  const form = t.catalog.find('rapor-kurum-formu')!;

  // 14 complete responses (10 online, 2 paper, 2 face to face), one excluded, one left half-way.
  const temizlik = ['5', '5', '4', '4', '4', '3', '2', '1', '5', '4', 'na', 'na', '3', '4'];
  const parklar = ['4', '4', '4', '4', '4', '4', '4', '5', '5', '5', '5', '5', '3', '3'];
  const yollar = ['1', '2', '1'];
  const guvenilir = ['5', '5', '5', '4', '4', '4', '4', '3', '3', '2', '2', '1', '4', '5'];
  const seffaf = ['3', '3', '4', '5'];
  const priorities = [
    ...Array(6).fill(['temizlik', 'parklar']),
    ...Array(4).fill(['yollar', 'temizlik']),
    ...Array(2).fill(['parklar', 'yollar']),
    ...Array(2).fill(['temizlik', 'yollar']),
  ] as [string, string][];
  const opinions = [
    'Çöpler daha sık toplanmalı',
    'ÇÖP konteynerleri yetersiz, beni arayın 0532 123 45 67',
    'Parklarda aydınlatma yok',
    'Park ve bahçeler bakımsız',
    'Çöp toplama saatleri değişmeli',
    'Kaldırımlar çok bozuk',
  ];
  const answerIds: number[] = [];
  for (let i = 0; i < 14; i++) {
    const fields: Fields = {
      cinsiyet: i < 7 ? 'kadin' : i < 12 ? 'erkek' : 'belirtmek_istemiyorum',
      yas: i < 6 ? 'genc' : 'orta',
      mahalle: i < 8 ? 'merkez' : 'cami',
      ...satisfaction(temizlik[i]!, parklar[i]!, yollar[i]),
      ...(seffaf[i] ? { 'imaj.seffaf': seffaf[i]! } : {}),
      'imaj.guvenilir': guvenilir[i]!,
      'oncelik.1': priorities[i]![0],
      'oncelik.2': priorities[i]![1],
      ...(opinions[i] ? { gorus: opinions[i]! } : {}),
    };
    const id = await storeResponse(t, citizen, fields, { channel: i < 10 ? 'online' : i < 12 ? 'paper' : 'face_to_face' });
    if (opinions[i]) {
      const answer = await t.db.selectFrom('answers').select('id').where('response_id', '=', id).where('question_id', '=', 'gorus').executeTakeFirstOrThrow();
      answerIds.push(answer.id);
    }
  }
  await storeResponse(t, citizen, { cinsiyet: 'erkek', yas: 'yasli', mahalle: 'istasyon', 'oncelik.1': 'yollar', 'oncelik.2': 'parklar', gorus: 'Test yanıtı' }, { excluded: true });
  await storeResponse(t, citizen, { cinsiyet: 'kadin' }, { draft: true });

  // Codebook and coding of the six opinions; the quote of "Atık toplama" is the one with a phone number.
  const theme = async (name: string, areaId: string, swotKind: 'weakness' | null) => {
    const outcome = await codingService.createTheme(t.db, citizen.slug, { name, areaId, swotKind, keywords: [] }, actor, t.clock.now);
    if (outcome.kind !== 'saved') throw new Error(outcome.kind);
    return outcome.id;
  };
  const themes = { atik: await theme('Atık toplama', 'temizlik', 'weakness'), park: await theme('Park bakımı', 'parklar', null), kaldirim: await theme('Kaldırımlar', 'yollar', 'weakness') };
  const codes = [themes.atik, themes.atik, themes.park, themes.park, themes.atik, themes.kaldirim];
  for (const [i, answerId] of answerIds.entries()) await codingService.codeAnswer(t.db, citizen.slug, answerId, [codes[i]!], null, t.clock.now);
  const quote = await codingService.chooseQuote(t.db, citizen.slug, themes.atik, answerIds[1]!, actor, t.clock.now);
  if (quote.kind !== 'saved') throw new Error(quote.kind);

  // The register.
  const create = (input: StakeholderInput) => stakeholderService.create(t.db, input, actor, t.clock.now);
  const stakeholders = {
    fen: await create(stakeholder({ name: 'Fen İşleri Müdürlüğü', group: 'kamu', scope: 'internal', areas: ['yollar'], importance: 5, influence: 5 })),
    universite: await create(stakeholder({ name: 'Deneme Üniversitesi', group: 'universite', type: 'stratejik_ortak', areas: ['temizlik', 'parklar'], reason: 'Bilimsel danışmanlık', importance: 5, influence: 4 })),
    mimarlar: await create(stakeholder({ name: 'Mimarlar Odası', group: 'meslek_odasi', areas: ['yollar'], importance: 4, influence: 2 })),
    cevre: await create(stakeholder({ name: 'Çevre Derneği', group: 'stk', type: 'hizmet_alan', areas: ['parklar'], importance: 2, influence: 4 })),
    muhtar: await create(stakeholder({ name: 'Merkez Muhtarlığı', group: 'muhtarlik', areas: ['temizlik', 'yollar'], importance: 2, influence: 1 })),
    eski: await create(stakeholder({ name: 'Eski Dernek', group: 'stk', importance: 5, influence: 5 })),
  };
  await stakeholderService.setArchived(t.db, stakeholders.eski, true, actor, t.clock.now);

  // Three institutions invited; the university and the chamber answer through their links.
  const invite = async (id: number) => {
    await invitationService.invite(t.db, { mailer: t.mailer, baseUrl: 'https://katilim.example.org' }, {
      survey: form,
      stakeholderIds: [id],
      deadline: '2026-12-31T20:00:00.000Z',
      reminderDays: null,
      actor,
      now: t.clock.now,
    });
    return mailedLink(t, '/gorus/');
  };
  const answer = async (link: string, fields: Fields) => completeSurvey(request.agent(t.app), form, () => fields, link);
  await answer(await invite(stakeholders.universite), {
    guclu: 'Genç nüfus\nÜniversite varlığı',
    tehdit: 'Deprem riski',
    'oncelik.1': 'yollar',
    'oncelik.2': 'temizlik',
    beklenti: 'Ulaşım planı hazırlanmalı. İletişim: rektor@uni.edu.tr',
    isbirligi: ['proje', 'veri'],
  });
  await answer(await invite(stakeholders.mimarlar), {
    guclu: 'Tarihi doku',
    tehdit: 'Deprem riski',
    'oncelik.1': 'yollar',
    beklenti: 'Kentsel dönüşümde oda ile çalışılmalı',
    isbirligi: ['egitim'],
  });
  await invite(stakeholders.cevre);

  // Activities held outside the site; the association and the muhtar took part in the workshop.
  await activityRepository.create(t.db, { method: 'workshop', title: 'Gençlik Çalıştayı', targetGroup: 'Gençler', startsOn: '2026-11-10', endsOn: null, participants: 40, notes: null, mahalleIds: ['merkez'], stakeholderIds: [stakeholders.cevre, stakeholders.muhtar] }, t.clock.now);
  await activityRepository.create(t.db, { method: 'interview', title: 'Muhtar görüşmeleri', targetGroup: 'Muhtarlar', startsOn: '2026-11-12', endsOn: '2026-11-14', participants: 3, notes: null, mahalleIds: ['cami', 'istasyon'], stakeholderIds: [] }, t.clock.now);

  // Two meetings held (and one cancelled, which does not count).
  const meeting = (overrides: Parameters<typeof meetingInput>[0]) => meetingService.createMeeting(t.db, meetingInput(overrides), actor, t.clock.now);
  const merkez = await meeting({ title_tr: 'Merkez Buluşması', venue: 'Merkez Kültür Evi', mahalles: ['merkez'], starts_at: '2026-12-05T16:00:00.000Z', ends_at: '2026-12-05T18:00:00.000Z', capacity: 10 });
  const cami = await meeting({ title_tr: 'Cami Buluşması', venue: 'Cami Lokali', mahalles: ['cami', 'istasyon'], starts_at: '2026-12-06T16:00:00.000Z', ends_at: '2026-12-06T18:00:00.000Z' });
  const cancelled = await meeting({ title_tr: 'İptal Buluşma', mahalles: ['istasyon'], starts_at: '2026-12-07T16:00:00.000Z', ends_at: '2026-12-07T18:00:00.000Z' });
  for (const [i, name] of ['Ali Kaya', 'Veli Demir', 'Ayşe Yıldız'].entries()) {
    const res = await signUp(request.agent(t.app), merkez, { name, phone: `053212345${60 + i}`, mahalle: 'merkez' });
    if (res.status !== 303) throw new Error(`sign-up ${res.status}`);
  }
  await meetingService.cancelMeeting(t.db, { mailer: t.mailer, baseUrl: 'https://katilim.example.org', secret: 'test-secret-that-is-long-enough-for-hmac-0123456789' }, cancelled, null, actor, t.clock.now);
  // At Merkez two of the three came and were checked in; Cami took no check-in. Both halls were counted.
  for (const name of ['Ali Kaya', 'Veli Demir']) {
    const { id } = await t.db.selectFrom('meeting_registrations').select('id').where('name', '=', name).executeTakeFirstOrThrow();
    await meetingService.checkIn(t.db, merkez, id, true, new Date('2026-12-05T16:10:00.000Z'), 'Europe/Istanbul');
  }
  await meetingRepository.saveOutcome(t.db, merkez, { notes: null, attendance_count: 25 }, t.clock.now);
  await meetingRepository.saveOutcome(t.db, cami, { notes: null, attendance_count: 12 }, t.clock.now);
  const requestOf = (text: string, area: string, gzft: 'weakness' | 'opportunity' | null, supporters = 1) => ({ text, activity_area_id: area, mahalle_id: null, supporters, gzft_kind: gzft });
  await meetingRepository.insertRequest(t.db, merkez, requestOf('Parka spor aletleri', 'parklar', null, 5), null, t.clock.now);
  await meetingRepository.insertRequest(t.db, merkez, requestOf('Yol çukurları onarılmalı', 'yollar', 'weakness'), null, t.clock.now);
  await meetingRepository.insertRequest(t.db, merkez, requestOf('Gönüllü temizlik ekipleri', 'temizlik', 'opportunity'), null, t.clock.now);
  await meetingRepository.insertRequest(t.db, cami, requestOf('Yol çukurları onarılmalı', 'yollar', 'weakness'), null, t.clock.now);
  await meetingRepository.insertRequest(t.db, cami, requestOf('Çöp kutusu eksik', 'temizlik', null), null, t.clock.now);

  return { stakeholders, themes, meetings: [merkez, cami] };
}

/**
 * A planner accepting, as written, every GZFT candidate pending on /admin/report/swot: what T16 and
 * the findings drafted from it need, since nothing enters T16 unreviewed.
 */
export async function acceptSwotCandidates(agent: TestAgent): Promise<number> {
  const page = await agent.get('/admin/report/swot');
  const groups = [...page.text.matchAll(/name="groups" value="([^"]+)"/g)].map((m) => m[1]!);
  if (groups.length === 0) return 0;
  const params = new URLSearchParams({ _csrf: csrfFrom(page.text), action: 'accept' });
  for (const group of groups) params.append('groups', group);
  const res = await agent.post('/admin/report/swot').type('form').send(params.toString());
  if (res.status !== 303) throw new Error(`accepting the GZFT candidates answered ${res.status}`);
  await agent.get(res.headers.location!); // shows (and so clears) the flash message
  return groups.length;
}

const i18n = createI18n();

/** The report as the app builds it from the stored settings (changed by `changes`) at the test clock's now. */
export async function builtReport(t: TestApp, changes: Partial<reportSettings.ReportSettings> = {}): Promise<Report> {
  const settings = { ...(await reportSettings.load(t.db, t.catalog.municipality, t.catalog.surveys)), ...changes };
  return buildReport(await loadReportData(t.db, t.catalog, settings, t.clock.now), reportWords(i18n, settings.language, 'Europe/Istanbul'));
}
