import { loadCatalog } from '../../server/surveys/survey-catalog';
import {
  leafHolds,
  evaluate,
  firstIncompleteSection,
  planSectionPost,
  questionsToRender,
  resumeSection,
  SAVED_SECTIONS,
  scheduleActions,
  surveyStatus,
  visibleSections,
} from '../../server/surveys/survey-flow';
import { BUNDLED_SURVEYS, FIXTURE_SURVEYS } from '../helpers/test-app';

const survey = loadCatalog(FIXTURE_SURVEYS).find('tum-soru-tipleri')!;

const completeFirstSection = { renk: 'mavi', ulasim: 'otobus', mahalle: 'merkez', evcil: 'hayir' };
const completeScales = {
  'memnuniyet.temizlik': '4',
  'memnuniyet.parklar': 'na',
  'memnuniyet.yollar': '2',
  puan: '7',
  'oncelik.1': 'yollar',
  'oncelik.2': 'parklar',
};

describe('leafHolds', () => {
  const choice = { kind: 'single_choice' as const, optionId: 'evet' };
  const multi = { kind: 'multiple_choice' as const, optionIds: ['metro', 'otobus'] };

  it('compares equals, notEquals, includes and anyOf against the answer', () => {
    expect(leafHolds({ question: 'q', equals: 'evet' }, choice)).toBe(true);
    expect(leafHolds({ question: 'q', equals: 'hayir' }, choice)).toBe(false);
    expect(leafHolds({ question: 'q', notEquals: 'hayir' }, choice)).toBe(true);
    expect(leafHolds({ question: 'q', notEquals: 'evet' }, choice)).toBe(false);
    expect(leafHolds({ question: 'q', includes: 'metro' }, multi)).toBe(true);
    expect(leafHolds({ question: 'q', includes: 'bisiklet' }, multi)).toBe(false);
    expect(leafHolds({ question: 'q', anyOf: ['hayir', 'evet'] }, choice)).toBe(true);
    expect(leafHolds({ question: 'q', anyOf: ['hayir'] }, choice)).toBe(false);
  });

  it('never holds on an unanswered question, whatever the operator', () => {
    expect(leafHolds({ question: 'q', notEquals: 'evet' }, undefined)).toBe(false);
    expect(leafHolds({ question: 'q', equals: 'evet' }, undefined)).toBe(false);
  });
});

describe('evaluate', () => {
  describe('when a condition on the same page does not hold', () => {
    it('hides the question, so it is not required and its posted value is ignored', () => {
      const evaluation = evaluate(survey, { ...completeFirstSection, evcil_adi: 'Pamuk' });
      expect(evaluation.visible.has('evcil_adi')).toBe(false);
      expect(evaluation.answers.has('evcil_adi')).toBe(false);
      expect(evaluation.errors.get(0)).toBeUndefined();
    });
  });

  describe('when a condition on the same page holds', () => {
    it('requires the dependent question', () => {
      const evaluation = evaluate(survey, { ...completeFirstSection, evcil: 'evet' });
      expect(evaluation.errors.get(0)).toEqual([{ questionId: 'evcil_adi', code: 'required', field: 'evcil_adi' }]);
    });
  });

  it('requires a question whose condition on an earlier page holds', () => {
    const evaluation = evaluate(survey, { ...completeFirstSection, ulasim: ['metro'], ...completeScales, yas: '40' });
    expect(evaluation.visible.has('metro_yorum')).toBe(true);
    expect(evaluation.errors.get(2)).toEqual([{ questionId: 'metro_yorum', code: 'required', field: 'metro_yorum' }]);
  });

  it('skips a section whose questions are all hidden, and counts progress without it', () => {
    const blue = evaluate(survey, completeFirstSection);
    expect(visibleSections(survey, blue)).toEqual([0, 1, 2]);
    const red = evaluate(survey, { ...completeFirstSection, renk: 'kirmizi' });
    expect(visibleSections(survey, red)).toEqual([0, 1, 2, 3]);
  });

  it('treats an invalid controlling answer as unanswered', () => {
    const evaluation = evaluate(survey, { ...completeFirstSection, evcil: 'belki' });
    expect(evaluation.visible.has('evcil_adi')).toBe(false);
    expect(evaluation.errors.get(0)?.map((e) => e.code)).toEqual(['invalid_option']);
  });
});

describe('firstIncompleteSection', () => {
  it('is the first visible section with a missing required answer, and undefined when all are done', () => {
    expect(firstIncompleteSection(survey, evaluate(survey, {}))).toBe(0);
    expect(firstIncompleteSection(survey, evaluate(survey, completeFirstSection))).toBe(1);
    expect(firstIncompleteSection(survey, evaluate(survey, { ...completeFirstSection, ...completeScales, yas: '40' }))).toBe(
      undefined,
    );
  });
});

describe('resumeSection', () => {
  const citizen = loadCatalog(BUNDLED_SURVEYS).find('vatandas-anketi')!;
  const saved = (...ids: string[]) => ({ [SAVED_SECTIONS]: ids });

  it('is the first section when nothing is saved', () => {
    expect(resumeSection(survey, {})).toBe(0);
  });

  it('is the first shown section with a required answer missing, conditions included', () => {
    expect(resumeSection(survey, completeFirstSection)).toBe(1);
    // "metro" on the first page makes the third page's metro_yorum required.
    const metro = { ...completeFirstSection, ulasim: ['metro'], ...completeScales, yas: '40', ...saved('secimler', 'olcekler', 'metinler') };
    expect(resumeSection(survey, metro)).toBe(2);
  });

  it('is the first shown section never saved when the earlier ones need nothing more', () => {
    const profile = { cinsiyet: 'kadin', yas_grubu: 'yas_35_44', egitim: 'lisans', mahalle: 'cumhuriyet', ikamet_suresi: 'yil_11_20' };
    const areas = Object.fromEntries(
      (citizen.sections[1]!.questions[0] as { rows: { id: string }[] }).rows.map((row) => [`hizmet_memnuniyeti.${row.id}`, '3']),
    );
    const ranked = { 'oncelikli_alanlar.1': 'temizlik_atik', 'oncelikli_alanlar.2': 'park_bahce', 'oncelikli_alanlar.3': 'spor' };
    const upToFour = { ...profile, ...areas, ...ranked, talep_iletildi: 'hayir' };
    // Page 4 was gone past with "next"; pages 5–7 ask nothing required and were never reached.
    expect(resumeSection(citizen, { ...upToFour, ...saved('profil', 'memnuniyet', 'oncelikler', 'iletisim') })).toBe(4);
    // Page 5 was gone past empty: only the record says so.
    expect(resumeSection(citizen, { ...upToFour, ...saved('profil', 'memnuniyet', 'oncelikler', 'iletisim', 'imaj') })).toBe(5);
    // A draft from before the record: a page with an answer counts as saved.
    expect(resumeSection(citizen, upToFour)).toBe(4);
  });

  it('skips a section whose questions are all hidden, and is the last shown one when all are done', () => {
    const done = { ...completeFirstSection, ...completeScales, yas: '40', ...saved('secimler', 'olcekler', 'metinler') };
    expect(resumeSection(survey, done)).toBe(2);
    expect(resumeSection(survey, { ...done, renk: 'kirmizi' })).toBe(3);
  });
});

describe('planSectionPost', () => {
  it('records a section as saved when it is left with "next", not with "back"', () => {
    const next = planSectionPost(survey, 0, {}, completeFirstSection, 'next');
    expect(next).toMatchObject({ kind: 'save', goTo: 1, fields: { [SAVED_SECTIONS]: ['secimler'] } });
    const back = planSectionPost(survey, 1, next.kind === 'save' ? next.fields : {}, { puan: '7' }, 'back');
    expect(back).toMatchObject({ kind: 'save', goTo: 0, fields: { puan: '7', [SAVED_SECTIONS]: ['secimler'] } });
  });
});

describe('questionsToRender', () => {
  it('shows a question that depends on the same page even before it is answered', () => {
    const ids = questionsToRender(survey, 0, evaluate(survey, {})).map((q) => q.id);
    expect(ids).toEqual(['renk', 'ulasim', 'mahalle', 'evcil', 'evcil_adi']);
  });
  it('leaves out a question whose condition on an earlier page does not hold', () => {
    const ids = questionsToRender(survey, 2, evaluate(survey, completeFirstSection)).map((q) => q.id);
    expect(ids).toEqual(['gorus', 'yas', 'tutar', 'tarih', 'yas_grubu', 'genc_notu', 'calisma_yeri', 'hizmet_sirasi']);
  });
});

describe('surveyStatus', () => {
  it('is scheduled before opensAt, open until closesAt, closed from then on', () => {
    expect(surveyStatus(survey, new Date('2025-12-31T20:59:59Z'))).toBe('scheduled');
    expect(surveyStatus(survey, new Date('2025-12-31T21:00:00Z'))).toBe('open');
    expect(surveyStatus(survey, new Date('2026-12-31T20:58:59Z'))).toBe('open');
    expect(surveyStatus(survey, new Date('2026-12-31T20:59:00Z'))).toBe('closed');
  });
});

describe('scheduleActions', () => {
  it('offers opening only when the survey takes no answers, closing only when it does, new dates always', () => {
    expect(scheduleActions('open')).toEqual(['close_now', 'change_dates']);
    expect(scheduleActions('closed')).toEqual(['open_now', 'change_dates']);
    expect(scheduleActions('scheduled')).toEqual(['open_now', 'change_dates']);
    expect(scheduleActions('draft')).toEqual(['open_now', 'change_dates']);
  });
});
