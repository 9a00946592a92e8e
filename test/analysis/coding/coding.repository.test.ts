// What the report reads from the coding: themes, counts, progress, quotes and codes, over the
// text answers of included responses only.
import request from 'supertest';
import { codingRepository } from '../../../server/analysis/coding';
import { completeSurvey, validSectionFields } from '../../helpers/survey-walker';
import { createTestApp, type TestApp } from '../../helpers/test-app';
import { addResponse, addTheme, CITIZEN, EXPECT, firstLongText, IMPROVE, INSTITUTION } from '../../helpers/coding';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

const code = (answerId: number, themeIds: number[]) => codingRepository.saveCoding(t.db, answerId, themeIds, null, t.clock.now);

describe('codingRepository.themes', () => {
  it('returns the survey’s themes in Turkish alphabetical order, keywords as a list', async () => {
    for (const name of ['Zabıta', 'İmar', 'Çöp', 'Işıklandırma', 'Cadde', 'Ulaşım']) await addTheme(t, CITIZEN, name);
    await addTheme(t, INSTITUTION, 'Başka anket');
    const id = await addTheme(t, CITIZEN, 'Park', { areaId: 'park_bahce', swotKind: 'weakness', keywords: ['park', 'yeşil alan'] });

    const themes = await codingRepository.themes(t.db, CITIZEN);

    expect(themes.map((theme) => theme.name)).toEqual(['Cadde', 'Çöp', 'Işıklandırma', 'İmar', 'Park', 'Ulaşım', 'Zabıta']);
    expect(themes.find((theme) => theme.id === id)).toEqual({ id, surveySlug: CITIZEN, name: 'Park', areaId: 'park_bahce', swotKind: 'weakness', keywords: ['park', 'yeşil alan'], rule: null });
  });
});

describe('over a seeded survey', () => {
  let cop: number;
  let park: number;
  let unused: number;
  let a: Record<string, number>[];
  let excluded: Record<string, number>;
  let draft: Record<string, number>;
  let institution: Record<string, number>;

  beforeEach(async () => {
    cop = await addTheme(t, CITIZEN, 'Çöp');
    park = await addTheme(t, CITIZEN, 'Park');
    unused = await addTheme(t, CITIZEN, 'Kültür');
    a = [];
    a.push((await addResponse(t, CITIZEN, { [IMPROVE]: 'Çöpler toplanmıyor', [EXPECT]: 'Parklar', cinsiyet: 'option:kadin' })).answerIds);
    a.push((await addResponse(t, CITIZEN, { [IMPROVE]: 'Park yok' })).answerIds);
    a.push((await addResponse(t, CITIZEN, { [IMPROVE]: 'Bilmiyorum' })).answerIds);
    excluded = (await addResponse(t, CITIZEN, { [IMPROVE]: 'Çöp ve park' }, { excluded: true })).answerIds;
    draft = (await addResponse(t, CITIZEN, { [IMPROVE]: 'Çöp' }, { status: 'draft' })).answerIds;
    institution = (await addResponse(t, INSTITUTION, { [firstLongText(t, INSTITUTION)]: 'Çöp' })).answerIds;
    await code(a[0]![IMPROVE]!, [cop]);
    await code(a[0]![EXPECT]!, [park]);
    await code(a[1]![IMPROVE]!, [park, cop]);
    await code(a[2]![IMPROVE]!, []);
    await code(excluded[IMPROVE]!, [cop, park]);
    await code(draft[IMPROVE]!, [cop]);
  });

  it('themeCounts: coded answers of included responses per theme, 0 for unused themes', async () => {
    expect(await codingRepository.themeCounts(t.db, CITIZEN)).toEqual(new Map([[cop, 2], [park, 2], [unused, 0]]));
  });

  it('codingProgress: non-empty long_text answers of included responses, and the coded ones', async () => {
    expect(await codingRepository.codingProgress(t.db, CITIZEN)).toEqual({ answers: 4, coded: 4 });
    await addResponse(t, CITIZEN, { [IMPROVE]: 'Yeni yanıt', [EXPECT]: 'Bir beklenti' });
    expect(await codingRepository.codingProgress(t.db, CITIZEN)).toEqual({ answers: 6, coded: 4 });
    expect(await codingRepository.codingProgress(t.db, INSTITUTION)).toEqual({ answers: 1, coded: 0 });
  });

  it('codesOf: theme ids per coded answer, [] when coded without a theme, nothing for uncoded ones', async () => {
    const codes = await codingRepository.codesOf(t.db, [a[0]![IMPROVE]!, a[1]![IMPROVE]!, a[2]![IMPROVE]!, institution[firstLongText(t, INSTITUTION)]!]);
    expect(codes).toEqual(new Map([[a[0]![IMPROVE]!, [cop]], [a[1]![IMPROVE]!, [cop, park].sort((x, y) => x - y)], [a[2]![IMPROVE]!, []]]));
    expect(await codingRepository.codesOf(t.db, [])).toEqual(new Map());
  });

  it('saveCoding replaces the themes of an answer', async () => {
    await code(a[1]![IMPROVE]!, [unused]);
    expect((await codingRepository.codesOf(t.db, [a[1]![IMPROVE]!])).get(a[1]![IMPROVE]!)).toEqual([unused]);
    expect(await codingRepository.themeCounts(t.db, CITIZEN)).toEqual(new Map([[cop, 1], [park, 1], [unused, 1]]));
  });

  it('quotes: the quote text per theme of the survey', async () => {
    await codingRepository.saveQuote(t.db, { themeId: cop, answerId: a[0]![IMPROVE]!, text: 'Çöpler toplanmıyor' }, null, t.clock.now);
    const other = await addTheme(t, INSTITUTION, 'Çöp');
    await codingRepository.saveQuote(t.db, { themeId: other, answerId: null, text: 'Başka anket' }, null, t.clock.now);
    expect(await codingRepository.quotes(t.db, CITIZEN)).toEqual(new Map([[cop, 'Çöpler toplanmıyor']]));
  });

  it('nextUncodedAnswer: the oldest uncoded text answer of an included response', async () => {
    expect(await codingRepository.nextUncodedAnswer(t.db, CITIZEN)).toBeUndefined();
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    const later = await addResponse(t, CITIZEN, { [IMPROVE]: 'Sonra' });
    const earlier = await addResponse(t, CITIZEN, { [IMPROVE]: 'Önce' }, { at: '2026-11-01T09:00:00.000Z' });
    expect((await codingRepository.nextUncodedAnswer(t.db, CITIZEN))?.id).toBe(earlier.answerIds[IMPROVE]);
    await code(earlier.answerIds[IMPROVE]!, []);
    expect((await codingRepository.nextUncodedAnswer(t.db, CITIZEN))?.id).toBe(later.answerIds[IMPROVE]);
  });
});

describe('an answer given through the public survey', () => {
  it('is a text answer to code', async () => {
    const survey = t.catalog.find(CITIZEN)!;
    const last = survey.sections.length - 1;
    await completeSurvey(request.agent(t.app), survey, (index) => ({
      ...validSectionFields(survey, index),
      ...(index === last ? { [IMPROVE]: 'Kaldırımlar çok dar', [EXPECT]: '', proje_fikri: '' } : {}),
    }));

    const next = await codingRepository.nextUncodedAnswer(t.db, CITIZEN);

    expect(next).toMatchObject({ questionId: IMPROVE, text: 'Kaldırımlar çok dar' });
    expect(await codingRepository.codingProgress(t.db, CITIZEN)).toEqual({ answers: 1, coded: 0 });
  });
});
