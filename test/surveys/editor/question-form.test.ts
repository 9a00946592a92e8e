// The editor's question form: every kind of the schema goes to form values and back unchanged, a
// blank form is refused at the right fields in the planner's language, and the rows of options can
// be pasted, removed and reordered without JavaScript.
import fs from 'node:fs';
import path from 'node:path';
import { createI18n } from '../../../server/platform/i18n/i18n';
import { projectRoot } from '../../../server/platform/paths';
import {
  blankFormValues,
  fieldOfPath,
  formValuesOf,
  questionFromForm,
  type FormValues,
} from '../../../server/surveys/editor/question-form';
import { idFromLabel } from '../../../server/surveys/editor/option-ids';
import { QUESTION_KINDS, QuestionFile, SurveyFile, type QuestionKind } from '../../../server/surveys/survey-definition';

const { translators } = createI18n();
const tr = translators.tr;
const en = translators.en;

function questionsOf(file: string): QuestionFile[] {
  const survey = SurveyFile.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  return survey.sections.flatMap((section) => section.questions);
}

const QUESTIONS = [
  ...questionsOf(path.join(projectRoot, 'test', 'fixtures', 'surveys', 'tum-soru-tipleri.json')),
  ...fs
    .readdirSync(path.join(projectRoot, 'surveys'))
    .filter((name) => name.endsWith('.json') && name !== 'municipality.json' && name !== 'survey.schema.json')
    .flatMap((name) => questionsOf(path.join(projectRoot, 'surveys', name))),
];

function accepted(kind: QuestionKind, body: FormValues | Record<string, unknown>): QuestionFile {
  const result = questionFromForm(kind, body, tr);
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.errors)}`);
  return result.question;
}

function refused(kind: QuestionKind, body: Record<string, unknown>, t = tr) {
  const result = questionFromForm(kind, body, t);
  if (result.ok) throw new Error(`accepted: ${JSON.stringify(result.question)}`);
  return result;
}

/** The own options of a choice question (not a shared list). */
function optionsOf(question: QuestionFile) {
  const source = 'options' in question ? question.options : [];
  if (!Array.isArray(source)) throw new Error('a shared list');
  return source;
}

const choice = (extra: Record<string, unknown> = {}) => ({
  ...blankFormValues('single_choice'),
  id: 'ulasim',
  'text.tr': 'Ulaşım aracınız',
  ...extra,
});

describe('formValuesOf and questionFromForm', () => {
  it.each([...QUESTION_KINDS])('give back every %s question of the fixture and the bundled surveys unchanged', (kind) => {
    const questions = QUESTIONS.filter((q) => q.kind === kind);
    expect(questions.length).toBeGreaterThan(0);
    for (const question of questions) {
      expect(accepted(kind, formValuesOf(question))).toEqual(question);
    }
  });

  it('give back a question using every optional field of its kind', () => {
    const full: QuestionFile[] = [
      QuestionFile.parse({
        kind: 'multiple_choice', id: 'kanal', text: { tr: 'Kanallar', en: 'Channels' }, help: { tr: 'Yardım', en: 'Help' },
        required: true, other: true, minSelections: 1, maxSelections: 2, role: 'expectation',
        showWhen: { question: 'onceki', anyOf: ['a', 'b'] },
        options: [{ id: 'a', label: { tr: 'A' } }, { id: 'yok', label: { tr: 'Hiçbiri', en: 'None' }, exclusive: true }],
      }),
      QuestionFile.parse({
        kind: 'likert_matrix', id: 'katilim', text: { tr: 'Katılım' }, notApplicable: { tr: 'Bilgim yok' },
        rows: [{ id: 'r1', label: { tr: 'Bir' } }], scale: [{ value: 0, label: { tr: 'Hayır' } }, { value: 10, label: { tr: 'Evet', en: 'Yes' } }],
      }),
      QuestionFile.parse({ kind: 'number', id: 'tutar', text: { tr: 'Tutar' }, min: -2.5, max: 10.25, integer: false, unit: { tr: 'TL' } }),
      QuestionFile.parse({ kind: 'ranking', id: 'sira', text: { tr: 'Sıra' }, rankCount: 2, minRanked: 1, items: [{ id: 'a', label: { tr: 'A' } }, { id: 'b', label: { tr: 'B' } }] }),
      QuestionFile.parse({ kind: 'select', id: 'semt', text: { tr: 'Semt' }, options: { list: 'mahalles' }, showWhen: { question: 'x', notEquals: 'y' } }),
    ];
    for (const question of full) expect(accepted(question.kind, formValuesOf(question))).toEqual(question);
  });
});

describe('a blank form', () => {
  const required: Record<QuestionKind, string[]> = {
    single_choice: ['id', 'text.tr', 'options'],
    multiple_choice: ['id', 'text.tr', 'options'],
    likert_matrix: ['id', 'text.tr', 'rows', 'scale'],
    rating: ['id', 'text.tr'],
    ranking: ['id', 'text.tr', 'items', 'rankCount'],
    short_text: ['id', 'text.tr'],
    long_text: ['id', 'text.tr'],
    number: ['id', 'text.tr'],
    date: ['id', 'text.tr'],
    select: ['id', 'text.tr', 'options'],
  };

  it.each([...QUESTION_KINDS])('of a %s question is refused at the fields it needs, in Turkish and in English', (kind) => {
    const turkish = refused(kind, blankFormValues(kind), tr);
    const english = refused(kind, blankFormValues(kind), en);
    expect(Object.keys(turkish.errors).sort()).toEqual([...required[kind]].sort());
    expect(Object.keys(english.errors).sort()).toEqual([...required[kind]].sort());
    expect(turkish.errors['text.tr']).toBe('Türkçe metin zorunludur.');
    expect(english.errors['text.tr']).toBe('The Turkish text is required.');
    expect(turkish.errors.id).toBe('Kimlik zorunludur.');
    expect(english.errors.id).toBe('The id is required.');
    expect(turkish.values).toEqual(expect.objectContaining(blankFormValues(kind)));
    for (const message of [...Object.values(turkish.errors), ...Object.values(english.errors)]) {
      expect(message).not.toMatch(/admin:|editor\.fields|^Invalid|expected/);
    }
  });

  it('names what is missing in words the planner knows', () => {
    expect(refused('single_choice', blankFormValues('single_choice')).errors.options).toBe('En az bir seçenek ekleyin ya da ortak bir liste seçin.');
    expect(refused('likert_matrix', blankFormValues('likert_matrix'), en).errors.scale).toBe('The scale needs at least 2 points.');
    expect(refused('ranking', blankFormValues('ranking'), en).errors.rankCount).toBe('This field is required.');
  });
});

describe('friendly messages', () => {
  it('explain a bad id, at the question and at an option', () => {
    const result = refused('single_choice', choice({ id: 'Ulaşım', 'options.0.id': '1a', 'options.0.tr': 'Bir' }));
    expect(result.errors.id).toMatch(/^Kimlik küçük harfle başlamalı/);
    expect(result.errors['options.0.id']).toMatch(/^Kimlik küçük harfle başlamalı/);
    expect(refused('single_choice', choice({ id: 'Ulaşım', 'options.0.tr': 'Bir' }), en).errors.id).toMatch(/^An id starts with a lowercase letter/);
  });

  it('refuse an option id used twice, at the second row', () => {
    const result = refused('select', choice({ 'options.0.id': 'evet', 'options.0.tr': 'Evet', 'options.1.id': 'evet', 'options.1.tr': 'Tabii' }));
    expect(result.errors).toEqual({ 'options.1.id': '“evet” kimliği bu soruda birden fazla kez kullanılmış; her seçeneğin kimliği farklı olmalı.' });
  });

  it('refuse an option with no Turkish text, at its row', () => {
    const result = refused('single_choice', choice({ 'options.0.id': 'a', 'options.0.en': 'Only English' }), en);
    expect(result.errors).toEqual({ 'options.0.tr': 'The Turkish text is required.' });
  });

  it('refuse a Turkish-less help text written only in English', () => {
    expect(refused('single_choice', choice({ 'options.list': 'mahalles', 'help.en': 'Help' })).errors).toEqual({ 'help.tr': 'Türkçe metin zorunludur.' });
  });

  it('refuse a scale of one point and a repeated scale value', () => {
    const base = { ...blankFormValues('likert_matrix'), id: 'm', 'text.tr': 'Matris', 'rows.list': 'activityAreas' };
    expect(refused('likert_matrix', { ...base, 'scale.0.value': '1', 'scale.0.tr': 'Kötü' }).errors).toEqual({ scale: 'Ölçekte en az 2 nokta olmalı.' });
    const repeated = refused('likert_matrix', { ...base, 'scale.0.value': '1', 'scale.0.tr': 'Kötü', 'scale.1.value': '1', 'scale.1.tr': 'İyi' });
    expect(Object.keys(repeated.errors)).toEqual(['scale.1.value']);
  });

  it('refuse a minimum above the maximum, for numbers, dates, selections and ranks', () => {
    const base = (kind: QuestionKind) => ({ ...blankFormValues(kind), id: 'q', 'text.tr': 'Soru' });
    expect(refused('number', { ...base('number'), min: '10', max: '5' }).errors).toEqual({ min: 'En küçük değer en büyük değerden büyük olamaz.' });
    expect(refused('date', { ...base('date'), min: '2026-05-01', max: '2026-01-01' }, en).errors).toEqual({ min: 'The smallest value cannot be greater than the largest.' });
    expect(Object.keys(refused('multiple_choice', { ...base('multiple_choice'), 'options.list': 'mahalles', minSelections: '3', maxSelections: '2' }).errors)).toEqual(['minSelections']);
    expect(Object.keys(refused('ranking', { ...base('ranking'), 'items.list': 'activityAreas', rankCount: '2', minRanked: '3' }).errors)).toEqual(['minRanked']);
  });

  it('refuse words in number fields and accept a decimal comma', () => {
    const base = { ...blankFormValues('number'), id: 'q', 'text.tr': 'Soru' };
    expect(refused('number', { ...base, min: 'on' }).errors).toEqual({ min: 'Lütfen bir sayı yazın (ör. 12 veya 12,5).' });
    expect(accepted('number', { ...base, min: '2,5' })).toMatchObject({ min: 2.5 });
    expect(refused('short_text', { ...blankFormValues('short_text'), id: 'q', 'text.tr': 'S', maxLength: '0' }, en).errors).toEqual({ maxLength: 'The value must be at least 1.' });
  });

  it('refuse fractions where whole numbers go, bad dates, an unknown rating scale and out-of-range scale values', () => {
    const ranking = { ...blankFormValues('ranking'), id: 'a', 'text.tr': 'x', 'items.list': 'mahalles', rankCount: '2.5', minRanked: '0' };
    expect(refused('ranking', ranking, en).errors).toEqual({ rankCount: 'Please write a whole number.', minRanked: 'The value must be at least 1.' });
    expect(refused('date', { id: 'a', 'text.tr': 'x', min: '31.12.2026' }).errors).toEqual({ min: 'Lütfen geçerli bir tarih girin (YYYY-AA-GG).' });
    expect(refused('rating', { id: 'a', 'text.tr': 'x', scale: '1-7' }).errors).toEqual({ scale: 'Lütfen listedeki seçeneklerden birini seçin.' });
    const likert = { id: 'a', 'text.tr': 'x', 'rows.list': 'mahalles', 'scale.0.value': '11', 'scale.0.tr': 'x', 'scale.1.value': 'iki', 'scale.1.tr': 'y' };
    expect(refused('likert_matrix', likert, en).errors).toEqual({ 'scale.0.value': 'The value can be at most 10.', 'scale.1.value': 'Please write a whole number.' });
  });

  it('refuse a role that is not one of the report roles and a shared list that does not exist', () => {
    expect(refused('single_choice', choice({ role: 'nonsense', 'options.list': 'mahalles' })).errors).toEqual({ role: 'Lütfen listedeki seçeneklerden birini seçin.' });
    expect(refused('single_choice', choice({ 'options.list': 'streets' })).errors['options.list']).toBe('Lütfen listedeki seçeneklerden birini seçin.');
  });
});

describe('options as rows', () => {
  it('paste lines as options with Turkish-safe, unique ids, after the rows already there', () => {
    const question = accepted('multiple_choice', {
      ...blankFormValues('multiple_choice'),
      id: 'ulasim',
      'text.tr': 'Ulaşım',
      'options.0.id': 'otobus',
      'options.0.tr': 'Otobüs',
      'options.paste': 'Özel araç\r\nİŞ YERİ SERVİSİ\n\n  Çiğköfte ğüşıöç  \nOtobüs\t Bus\n2. el araç\nDiğer\nOther\n!!!',
    });
    expect(question.kind === 'multiple_choice' && question.options).toEqual([
      { id: 'otobus', label: { tr: 'Otobüs' } },
      { id: 'ozel_arac', label: { tr: 'Özel araç' } },
      { id: 'is_yeri_servisi', label: { tr: 'İŞ YERİ SERVİSİ' } },
      { id: 'cigkofte_gusioc', label: { tr: 'Çiğköfte ğüşıöç' } },
      { id: 'otobus_2', label: { tr: 'Otobüs', en: 'Bus' } },
      { id: 'secenek_2_el_arac', label: { tr: '2. el araç' } },
      { id: 'diger', label: { tr: 'Diğer' } },
      { id: 'other_2', label: { tr: 'Other' } },
      { id: 'secenek', label: { tr: '!!!' } },
    ]);
  });

  it('make an id from the Turkish text of a new row left without one', () => {
    expect(idFromLabel('IŞIK ılık')).toBe('isik_ilik');
    expect(idFromLabel('Kâğıt / Îmar')).toBe('kagit_imar');
    const question = accepted('select', choice({ 'options.3.tr': 'Şehir merkezi', 'options.3.en': 'City centre' }));
    expect(question.kind === 'select' && question.options).toEqual([{ id: 'sehir_merkezi', label: { tr: 'Şehir merkezi', en: 'City centre' } }]);
  });

  it('leave out blank rows and rows ticked for removal, and follow the order numbers', () => {
    const question = accepted('single_choice', choice({
      'options.0.id': 'a', 'options.0.tr': 'A', 'options.0.order': '1',
      'options.1.id': 'b', 'options.1.tr': 'B', 'options.1.order': '2', 'options.1.remove': 'on',
      'options.2.id': 'c', 'options.2.tr': 'C', 'options.2.order': '1',
      'options.3.id': 'd', 'options.3.tr': 'D', 'options.3.order': '4',
      'options.4.id': '', 'options.4.tr': '', 'options.4.en': '', 'options.4.order': '5',
      'options.5.id': 'e', 'options.5.tr': 'E', 'options.5.order': '0',
    }));
    expect(optionsOf(question).map((o) => o.id)).toEqual(['e', 'c', 'a', 'd']);
  });

  it('show a refused form with its rows renumbered as the errors are, the pasted lines as rows', () => {
    const result = refused('single_choice', choice({
      id: '',
      'options.0.id': 'a', 'options.0.tr': 'A', 'options.0.order': '2',
      'options.1.id': 'b', 'options.1.tr': 'B', 'options.1.order': '1',
      'options.2.id': 'a', 'options.2.tr': 'A again', 'options.2.order': '3', 'options.2.remove': 'on',
      'options.paste': 'Yeni',
    }));
    expect(result.errors).toEqual({ id: 'Kimlik zorunludur.' });
    expect(result.values).toMatchObject({
      'options.0.id': 'b', 'options.0.order': '1',
      'options.1.id': 'a', 'options.1.order': '2',
      'options.2.id': 'yeni', 'options.2.tr': 'Yeni', 'options.2.new': 'on',
      'options.paste': '',
    });
    expect(result.values['options.3.id']).toBeUndefined();
  });

  it('take lists of values as express.urlencoded posts repeated names', () => {
    const question = accepted('multiple_choice', {
      ...blankFormValues('multiple_choice'),
      id: 'q', 'text.tr': 'Soru', other: ['', 'on'], 'options.list': 'activityAreas',
    });
    expect(question).toMatchObject({ other: true, options: { list: 'activityAreas' } });
  });
});

describe('locked mode (the question has stored answers)', () => {
  it('keeps the stored ids while wording changes, rows move and new options are added', () => {
    const stored = QUESTIONS.find((q) => q.id === 'ulasim')!;
    const values = formValuesOf(stored);
    // The locked form posts the read-only ids as they were; the planner rewords, moves the last row first and pastes one more.
    const posted = { ...values, 'options.0.tr': 'Şehir otobüsü', 'options.3.order': '0', 'options.paste': 'Tramvay' };
    const question = accepted('multiple_choice', posted);
    expect(optionsOf(question).map((o) => o.id)).toEqual(['hicbiri', 'otobus', 'metro', 'bisiklet', 'tramvay']);
    expect(question.id).toBe(stored.id);
    expect(optionsOf(question)[1]!.label.tr).toBe('Şehir otobüsü');
  });

  it('never gives a new option the id of a stored one', () => {
    const stored = QUESTIONS.find((q) => q.id === 'renk')!;
    const question = accepted('single_choice', { ...formValuesOf(stored), 'options.paste': 'Mavi\nKırmızı' });
    expect(optionsOf(question).map((o) => o.id)).toEqual(['kirmizi', 'mavi', 'mavi_2', 'kirmizi_2']);
  });
});

describe('the condition', () => {
  const base = choice({ 'options.list': 'mahalles' });

  it.each([
    ['equals', ['evet'], { question: 'evcil', equals: 'evet' }],
    ['notEquals', 'hayir', { question: 'evcil', notEquals: 'hayir' }],
    ['includes', ['metro'], { question: 'evcil', includes: 'metro' }],
    ['anyOf', ['a', 'b'], { question: 'evcil', anyOf: ['a', 'b'] }],
  ])('with %s is read from the values ticked under the chosen question', (operator, ticked, expected) => {
    const question = accepted('single_choice', {
      ...base,
      'showWhen.question': 'evcil',
      'showWhen.operator': operator,
      'showWhen.value.evcil': ticked,
      'showWhen.value.renk': ['kirmizi'],
    });
    expect(question.showWhen).toEqual(expected);
  });

  it('is left out when no question is chosen, and refused without a value or with two values for equals', () => {
    expect(accepted('single_choice', { ...base, 'showWhen.operator': 'equals', 'showWhen.value.renk': 'mavi' }).showWhen).toBeUndefined();
    expect(refused('single_choice', { ...base, 'showWhen.question': 'renk', 'showWhen.operator': 'equals' }).errors).toEqual({
      'showWhen.value': 'Koşul için en az bir değer işaretleyin.',
    });
    expect(refused('single_choice', { ...base, 'showWhen.question': 'renk', 'showWhen.operator': 'equals', 'showWhen.value.renk': ['a', 'b'] }, en).errors).toEqual({
      'showWhen.value': 'This condition takes one value; for several values choose “is any of”.',
    });
    expect(Object.keys(refused('single_choice', { ...base, 'showWhen.question': 'renk', 'showWhen.operator': 'startsWith', 'showWhen.value.renk': 'a' }).errors)).toEqual(['showWhen.operator']);
  });
});

describe('fieldOfPath', () => {
  it.each([
    [['text', 'tr'], 'text.tr'],
    [['text'], 'text.tr'],
    [['help', 'en'], 'help.en'],
    [['id'], 'id'],
    [['options', 2, 'label', 'en'], 'options.2.en'],
    [['options', 2, 'label'], 'options.2.tr'],
    [['rows', 0, 'id'], 'rows.0.id'],
    [['items', 1, 'exclusive'], 'items.1.exclusive'],
    [['options'], 'options'],
    [['scale'], 'scale'],
    [['scale', 3, 'value'], 'scale.3.value'],
    [['scale', 3, 'label', 'tr'], 'scale.3.tr'],
    [['showWhen', 'question'], 'showWhen.question'],
    [['showWhen', 'anyOf', 1], 'showWhen.value'],
    [['showWhen'], 'showWhen.value'],
    [['minSelections'], 'minSelections'],
    [['unit', 'tr'], 'unit.tr'],
    [['nonsense'], '_form'],
    [[3], '_form'],
    [[], '_form'],
  ])('maps %j to %s', (path, field) => {
    expect(fieldOfPath(path as (string | number)[])).toBe(field);
  });
});
