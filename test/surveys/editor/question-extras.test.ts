// The editor's fields for the later format additions: a matrix's row groups and display, a rating's
// point labels, a number's bands (rows and pasted ranges), "other" on select and ranking, combined
// and nested conditions, the institution type's register map, and the section form's condition.
import fs from 'node:fs';
import path from 'node:path';
import { createI18n } from '../../../server/platform/i18n/i18n';
import { projectRoot } from '../../../server/platform/paths';
import { bandId, parseBandLine } from '../../../server/surveys/editor/question-extras';
import { blankFormValues, fieldOfPath, formValuesOf, questionFromForm } from '../../../server/surveys/editor/question-form';
import { sectionFieldOfPath, sectionFormValues, sectionFromForm } from '../../../server/surveys/editor/section-form';
import { QuestionFile, SurveyFile, type QuestionKind } from '../../../server/surveys/survey-definition';

const { translators } = createI18n();
const tr = translators.tr;
const en = translators.en;

function accepted(kind: QuestionKind, body: Record<string, unknown>): QuestionFile {
  const result = questionFromForm(kind, body, tr);
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.errors)}`);
  return result.question;
}

function refused(kind: QuestionKind, body: Record<string, unknown>, t = tr) {
  const result = questionFromForm(kind, body, t);
  if (result.ok) throw new Error(`accepted: ${JSON.stringify(result.question)}`);
  return result;
}

const surveyOf = (file: string) => SurveyFile.parse(JSON.parse(fs.readFileSync(path.join(projectRoot, file), 'utf8')));
const SURVEYS = [
  surveyOf('test/fixtures/surveys/tum-soru-tipleri.json'),
  ...fs
    .readdirSync(path.join(projectRoot, 'surveys'))
    .filter((name) => name.endsWith('.json') && name !== 'municipality.json' && name !== 'survey.schema.json')
    .map((name) => surveyOf(path.join('surveys', name))),
];

const matrix = (extra: Record<string, unknown>) => ({
  ...blankFormValues('likert_matrix'),
  id: 'yonler',
  'text.tr': 'Yönler',
  'rows.0.id': 'vizyon', 'rows.0.tr': 'Vizyon',
  'rows.1.id': 'seffaflik', 'rows.1.tr': 'Şeffaflık',
  'rows.2.id': 'planlama', 'rows.2.tr': 'Planlama',
  'scale.0.value': '1', 'scale.0.tr': 'Kötü',
  'scale.1.value': '2', 'scale.1.tr': 'İyi',
  ...extra,
});

describe('a matrix', () => {
  it('groups its rows under the headings written beside the rows that start each group', () => {
    const question = accepted('likert_matrix', matrix({ 'rows.0.group.tr': 'KURUMSAL', 'rows.0.group.en': 'INSTITUTIONAL', 'rows.2.group.tr': 'YÖNETSEL' }));
    expect(question).toMatchObject({
      rowGroups: [
        { title: { tr: 'KURUMSAL', en: 'INSTITUTIONAL' }, rows: ['vizyon', 'seffaflik'] },
        { title: { tr: 'YÖNETSEL' }, rows: ['planlama'] },
      ],
    });
    expect('rowGroups' in accepted('likert_matrix', matrix({}))).toBe(false);
  });

  it('keeps a heading with its row when the rows are reordered', () => {
    const question = accepted('likert_matrix', matrix({ 'rows.0.group.tr': 'A', 'rows.2.group.tr': 'B', 'rows.2.order': '1' }));
    expect(question).toMatchObject({ rowGroups: [{ title: { tr: 'B' }, rows: ['planlama'] }, { title: { tr: 'A' }, rows: ['vizyon', 'seffaflik'] }] });
  });

  it('refuses headings that leave the first rows without a group, and a heading with no Turkish', () => {
    expect(refused('likert_matrix', matrix({ 'rows.1.group.tr': 'YÖNETSEL' })).errors).toEqual({
      'rows.0.group.tr': 'Grup başlıkları kullanılıyorsa ilk satırın da bir grup başlığı olmalı.',
    });
    expect(refused('likert_matrix', matrix({ 'rows.1.group.tr': 'B' }), en).errors['rows.0.group.tr']).toBe('The first row needs a group heading when group headings are used.');
    expect(refused('likert_matrix', matrix({ 'rows.0.group.tr': 'A', 'rows.1.group.en': 'B' })).errors).toEqual({ 'rows.1.group.tr': 'Türkçe metin zorunludur.' });
    expect(refused('likert_matrix', matrix({ 'rows.list': 'mahalles', 'rows.0.group.tr': 'A' })).errors).toEqual({
      'rows.list': 'Grup başlıkları yalnızca satırlar bu soruda yazıldığında kullanılabilir; ortak liste seçiliyken başlıkları silin.',
    });
  });

  it('shows every label on phones when ticked, and places the "don\'t know" column as chosen', () => {
    const question = accepted('likert_matrix', matrix({ labelsEvery: 'on', notApplicablePosition: 'first', 'notApplicable.tr': 'Bilgim yok' }));
    expect(question).toMatchObject({ labels: 'every', notApplicablePosition: 'first' });
    const plain = accepted('likert_matrix', matrix({}));
    expect('labels' in plain || 'notApplicablePosition' in plain).toBe(false);
    expect(Object.keys(refused('likert_matrix', matrix({ notApplicablePosition: 'middle' })).errors)).toEqual(['notApplicablePosition']);
  });
});

describe('a rating', () => {
  const rating = (extra: Record<string, unknown>) => ({ ...blankFormValues('rating'), id: 'puan', 'text.tr': 'Puan', ...extra });

  it('takes a label for every point of its scale, or none', () => {
    const labels = Object.fromEntries(['Çok zayıf', 'Zayıf', 'Orta', 'İyi', 'Çok iyi'].map((label, i) => [`pointLabels.${i}.tr`, label]));
    expect(accepted('rating', rating(labels))).toMatchObject({ pointLabels: [{ tr: 'Çok zayıf' }, { tr: 'Zayıf' }, { tr: 'Orta' }, { tr: 'İyi' }, { tr: 'Çok iyi' }] });
    expect('pointLabels' in accepted('rating', rating({}))).toBe(false);
    expect(Object.keys(blankFormValues('rating')).filter((name) => name.startsWith('pointLabels.'))).toHaveLength(10);
  });

  it('refuses labels for only some points at each blank point, also after the scale grows', () => {
    expect(refused('rating', rating({ 'pointLabels.0.tr': 'Kötü', 'pointLabels.4.tr': 'İyi' })).errors).toEqual({
      'pointLabels.1.tr': 'Türkçe metin zorunludur.',
      'pointLabels.2.tr': 'Türkçe metin zorunludur.',
      'pointLabels.3.tr': 'Türkçe metin zorunludur.',
    });
    const grown = refused('rating', rating({ scale: '0-10', ...Object.fromEntries([0, 1, 2, 3, 4].map((i) => [`pointLabels.${i}.tr`, `P${i}`])) }));
    expect(Object.keys(grown.errors)).toEqual(['pointLabels.5.tr', 'pointLabels.6.tr', 'pointLabels.7.tr', 'pointLabels.8.tr', 'pointLabels.9.tr', 'pointLabels.10.tr']);
  });
});

describe('number bands', () => {
  const number = (extra: Record<string, unknown>) => ({ ...blankFormValues('number'), id: 'yas', 'text.tr': 'Yaşınız', integer: 'on', ...extra });

  it.each([
    ['18-24', { min: 18, max: 24 }, 'b18_24'],
    ['25–34', { min: 25, max: 34 }, 'b25_34'],
    [' 35 - 44 ', { min: 35, max: 44 }, 'b35_44'],
    ['65+', { min: 65 }, 'b65_plus'],
    ['-17', { max: 17 }, 'b_17'],
    ['2,5-7,5', { min: 2.5, max: 7.5 }, 'b2_5_7_5'],
  ] as [string, { min?: number; max?: number }, string][])('read the pasted line %j as a range with a generated id', (line, range, id) => {
    expect(parseBandLine(line)).toEqual(range);
    expect(bandId(range.min, range.max)).toBe(id);
  });

  it('are made from pasted lines after the rows already there, labelled by the line', () => {
    const question = accepted('number', number({
      'bands.0.id': 'cocuk', 'bands.0.max': '17', 'bands.0.tr': '17 ve altı', 'bands.0.en': '17 and under',
      'bands.1.id': '', 'bands.1.min': '', 'bands.1.max': '', 'bands.1.tr': '',
      'bands.paste': '18-24\n25–34\n\n65+',
    }));
    expect(question).toMatchObject({
      bands: [
        { id: 'cocuk', max: 17, label: { tr: '17 ve altı', en: '17 and under' } },
        { id: 'b18_24', min: 18, max: 24, label: { tr: '18-24' } },
        { id: 'b25_34', min: 25, max: 34, label: { tr: '25–34' } },
        { id: 'b65_plus', min: 65, label: { tr: '65+' } },
      ],
    });
    expect('bands' in accepted('number', number({ 'bands.0.id': '', 'bands.0.tr': '', 'bands.paste': '  ' }))).toBe(false);
  });

  it('leave out rows ticked for removal and refuse an unreadable line, a word as a bound and a single band at their fields', () => {
    const removed = accepted('number', number({ 'bands.0.id': 'a', 'bands.0.max': '9', 'bands.0.tr': 'A', 'bands.0.remove': 'on', 'bands.paste': '10-19\n20+' }));
    expect(removed).toMatchObject({ bands: [{ id: 'b10_19' }, { id: 'b20_plus' }] });
    const bad = refused('number', number({ 'bands.0.id': 'a', 'bands.0.min': 'on sekiz', 'bands.0.tr': 'A', 'bands.paste': '20+\nyirmi' }));
    expect(bad.errors).toMatchObject({
      'bands.0.min': 'Lütfen bir sayı yazın (ör. 12 veya 12,5).',
      'bands.paste': '“yirmi” satırı bir aralık olarak okunamadı; 18-24, 65+ ya da -17 biçiminde yazın.',
    });
    expect(bad.values).toMatchObject({ 'bands.0.min': 'on sekiz', 'bands.1.id': 'b20_plus', 'bands.1.min': '20', 'bands.paste': 'yirmi' });
    expect(Object.keys(refused('number', number({ 'bands.paste': '18-24' })).errors)).toEqual(['bands']);
  });
});

describe('"other" on select and ranking', () => {
  it('is read from the same checkbox as on a single choice, and reserves its ids', () => {
    const select = { ...blankFormValues('select'), id: 'yer', 'text.tr': 'Yer', 'options.0.id': 'kamu', 'options.0.tr': 'Kamu', other: 'on' };
    expect(accepted('select', select)).toMatchObject({ other: true });
    const ranking = { ...blankFormValues('ranking'), id: 'sira', 'text.tr': 'Sıra', rankCount: '1', 'items.0.id': 'other', 'items.0.tr': 'Diğer', other: 'on' };
    expect(Object.keys(refused('ranking', ranking).errors)).toEqual(['items.0.id']);
    expect(accepted('ranking', { ...ranking, 'items.0.id': 'park' })).toMatchObject({ other: true });
  });
});

describe('the register map', () => {
  const institutionType = {
    ...blankFormValues('single_choice'), id: 'kurum_turu', 'text.tr': 'Kurum türü', role: 'profile.institution_type',
    'options.0.id': 'kamu', 'options.0.tr': 'Kamu', 'options.1.id': 'stk', 'options.1.tr': 'STK',
  };

  it('lists the option chosen for each register group, leaving out the groups asked', () => {
    expect(accepted('single_choice', { ...institutionType, 'registerMap.kamu': 'kamu', 'registerMap.stk': 'stk', 'registerMap.medya': '' })).toMatchObject({
      registerMap: { kamu: 'kamu', stk: 'stk' },
    });
    expect('registerMap' in accepted('single_choice', institutionType)).toBe(false);
  });

  it('refuses an id that is not an identifier at the group', () => {
    expect(Object.keys(refused('single_choice', { ...institutionType, 'registerMap.kamu': 'Kamu Kurumu' }).errors)).toEqual(['registerMap.kamu']);
  });
});

describe('a combined condition', () => {
  const base = { ...blankFormValues('short_text'), id: 'neden', 'text.tr': 'Neden?' };

  it('joins the comparisons with all or any; one comparison stays a plain one', () => {
    const two = {
      ...base,
      'showWhen.question': 'renk', 'showWhen.operator': 'equals', 'showWhen.value.renk': 'kirmizi',
      'showWhen.1.question': 'ulasim', 'showWhen.1.operator': 'includes', 'showWhen.1.value.ulasim': 'metro',
      'showWhen.1.value.renk': 'mavi',
      'showWhen.2.question': '', 'showWhen.2.operator': 'equals',
    };
    expect(accepted('short_text', two).showWhen).toEqual({ all: [{ question: 'renk', equals: 'kirmizi' }, { question: 'ulasim', includes: 'metro' }] });
    expect(accepted('short_text', { ...two, 'showWhen.combine': 'any' }).showWhen).toEqual({ any: [{ question: 'renk', equals: 'kirmizi' }, { question: 'ulasim', includes: 'metro' }] });
    expect(accepted('short_text', { ...two, 'showWhen.question': '' }).showWhen).toEqual({ question: 'ulasim', includes: 'metro' });
  });

  it('refuses a comparison at its own fields, and an unknown combine', () => {
    const result = refused('short_text', {
      ...base,
      'showWhen.question': 'renk', 'showWhen.operator': 'equals', 'showWhen.value.renk': 'kirmizi',
      'showWhen.1.question': 'ulasim', 'showWhen.1.operator': 'equals',
      'showWhen.2.question': 'evcil', 'showWhen.2.operator': 'equals', 'showWhen.2.value.evcil': ['evet', 'hayir'],
    });
    expect(Object.keys(result.errors).sort()).toEqual(['showWhen.1.value', 'showWhen.2.value']);
    expect(result.errors['showWhen.1.value']).toBe('Koşul için en az bir değer işaretleyin.');
    expect(Object.keys(refused('short_text', { ...base, 'showWhen.combine': 'xor', 'showWhen.question': 'renk', 'showWhen.value.renk': 'a' }).errors)).toEqual(['showWhen.combine']);
  });

  it('keeps a condition nested deeper than the form shows, unchanged, through the form', () => {
    const nested = { all: [{ question: 'renk', equals: 'kirmizi' }, { any: [{ question: 'ulasim', includes: 'metro' }, { question: 'evcil', equals: 'evet' }] }] };
    const question = QuestionFile.parse({ kind: 'short_text', id: 'neden', text: { tr: 'Neden?' }, showWhen: nested });
    const values = formValuesOf(question);
    expect(JSON.parse(values['showWhen.kept']!)).toEqual(nested);
    expect(values['showWhen.question']).toBe('');
    // Fields posted beside it (a crafted post) do not replace it.
    expect(accepted('short_text', { ...values, 'showWhen.question': 'renk', 'showWhen.value.renk': 'mavi' }).showWhen).toEqual(nested);
    expect(Object.keys(refused('short_text', { ...values, 'showWhen.kept': '{not json' }).errors)).toEqual(['showWhen.value']);
  });
});

describe('fieldOfPath for the later additions', () => {
  it.each([
    [['showWhen', 'all', 0, 'question'], 'showWhen.question'],
    [['showWhen', 'any', 2, 'equals'], 'showWhen.2.value'],
    [['rowGroups', 0, 'rows'], 'rows'],
    [['labels'], 'labelsEvery'],
    [['notApplicablePosition'], 'notApplicablePosition'],
    [['pointLabels', 3, 'tr'], 'pointLabels.3.tr'],
    [['pointLabels'], 'pointLabels'],
    [['bands', 1, 'min'], 'bands.1.min'],
    [['bands', 1, 'label', 'en'], 'bands.1.en'],
    [['bands'], 'bands'],
    [['registerMap', 'kamu'], 'registerMap.kamu'],
  ])('maps %j to %s', (at, field) => {
    expect(fieldOfPath(at as (string | number)[])).toBe(field);
  });
});

describe('the section form', () => {
  const sections = SURVEYS.flatMap((survey) => survey.sections);

  it('gives back every section of the fixture and the bundled surveys unchanged', () => {
    expect(sections.length).toBeGreaterThan(5);
    for (const { questions: _questions, ...section } of sections) {
      const result = sectionFromForm(sectionFormValues(section), tr);
      expect(result).toEqual({ ok: true, fields: section });
    }
  });

  it('gives back a section shown on a combined condition, and a nested one unchanged', () => {
    for (const showWhen of [
      { question: 'renk', anyOf: ['kirmizi', 'other'] },
      { any: [{ question: 'renk', equals: 'kirmizi' }, { question: 'evcil', notEquals: 'evet' }] },
      { all: [{ question: 'renk', equals: 'kirmizi' }, { any: [{ question: 'ulasim', includes: 'metro' }] }] },
    ]) {
      const section = { id: 'ek', title: { tr: 'Ek', en: 'Extra' }, intro: { tr: 'Giriş' }, showWhen };
      expect(sectionFromForm(sectionFormValues(section), tr)).toEqual({ ok: true, fields: section });
    }
  });

  it('refuses a blank title and a comparison without a value at their fields, in the planner\'s language', () => {
    const result = sectionFromForm({ id: 'ek', 'title.tr': '', 'showWhen.question': 'renk', 'showWhen.operator': 'equals' }, en);
    expect(result).toMatchObject({ ok: false, errors: { 'title.tr': expect.any(String), 'showWhen.value': 'Tick at least one value for the condition.' } });
    if (result.ok) return;
    expect(result.values).toMatchObject({ id: 'ek', 'showWhen.question': 'renk' });
    expect(result.errors['title.tr']).not.toMatch(/admin:/);
  });

  it('places a rule\'s problem with the condition at the condition', () => {
    expect(sectionFieldOfPath(['showWhen', 'question'])).toBe('showWhen.question');
    expect(sectionFieldOfPath(['showWhen', 'any', 1, 'equals'])).toBe('showWhen.1.value');
    expect(sectionFieldOfPath(['title', 'tr'])).toBe('title.tr');
    expect(sectionFieldOfPath(['questions', 0, 'id'])).toBe('_form');
  });
});
