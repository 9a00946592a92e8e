// The question form's fields, rendered by EJS for every kind of the schema: a named input for every
// value the form reads back, a label for every input, user text escaped, each error next to its field.
import path from 'node:path';
import ejs from 'ejs';
import { createI18n, type Language } from '../../../server/platform/i18n/i18n';
import { VIEWS_DIR } from '../../../server/platform/http/views';
import { blankFormValues, formValuesOf, questionFromForm, type FieldErrors, type FormValues } from '../../../server/surveys/editor/question-form';
import { QUESTION_KINDS, QUESTION_ROLES, QuestionFile, SHARED_LISTS, type QuestionKind } from '../../../server/surveys/survey-definition';
import { htmlProblems } from '../../helpers/html';

const VIEW = path.join(VIEWS_DIR, 'admin', 'surveys', 'editor', 'question-fields.ejs');
const { translators } = createI18n();

const EARLIER = [
  { id: 'evcil', text: 'Evcil hayvanınız var mı?', values: [{ id: 'evet', label: 'Evet' }, { id: 'hayir', label: 'Hayır' }] },
  { id: 'renk', text: 'En sevdiğiniz renk', values: [{ id: 'kirmizi', label: 'Kırmızı' }, { id: 'mavi', label: 'Mavi' }, { id: 'other', label: 'Diğer' }] },
];

/** A question of each kind using the kind's fields, its own options (not a shared list) and a condition. */
const SAMPLES: Record<QuestionKind, unknown> = {
  single_choice: { options: [{ id: 'a', label: { tr: 'A' } }, { id: 'b', label: { tr: 'B', en: 'B' } }], other: true, registerMap: { kamu: 'a', stk: 'b' } },
  multiple_choice: { options: [{ id: 'a', label: { tr: 'A' }, exclusive: true }], other: true, minSelections: 1, maxSelections: 1 },
  likert_matrix: {
    rows: [{ id: 'r', label: { tr: 'Satır' } }, { id: 's', label: { tr: 'Satır 2' } }, { id: 't', label: { tr: 'Satır 3' } }],
    rowGroups: [{ title: { tr: 'KURUMSAL', en: 'INSTITUTIONAL' }, rows: ['r', 's'] }, { title: { tr: 'YÖNETSEL' }, rows: ['t'] }],
    scale: [{ value: 1, label: { tr: 'Kötü' } }, { value: 2, label: { tr: 'İyi', en: 'Good' } }],
    labels: 'every',
    notApplicable: { tr: 'Bilgim yok' },
    notApplicablePosition: 'first',
  },
  rating: {
    scale: '0-10', minLabel: { tr: 'Kötü' }, maxLabel: { tr: 'İyi' },
    pointLabels: Array.from({ length: 11 }, (_, i) => (i === 0 ? { tr: 'Hiç', en: 'None' } : { tr: `Puan ${i}` })),
  },
  ranking: { items: [{ id: 'a', label: { tr: 'A' } }, { id: 'b', label: { tr: 'B' } }], rankCount: 2, minRanked: 1, other: true },
  short_text: { maxLength: 100, showWhen: { any: [{ question: 'evcil', equals: 'evet' }, { question: 'renk', anyOf: ['kirmizi', 'other'] }] } },
  long_text: { maxLength: 1000, showWhen: { all: [{ question: 'evcil', equals: 'evet' }, { question: 'renk', notEquals: 'mavi' }, { question: 'renk', anyOf: ['kirmizi'] }] } },
  number: {
    min: 0, max: 10.5, integer: true, unit: { tr: 'TL', en: 'TRY' },
    bands: [{ id: 'az', label: { tr: 'Az', en: 'Little' }, max: 2 }, { id: 'orta', label: { tr: '3–5' }, min: 3, max: 5 }, { id: 'cok', label: { tr: '6+' }, min: 6 }],
  },
  date: { min: '2026-01-01', max: '2026-12-31' },
  select: { options: [{ id: 'a', label: { tr: 'A' } }], other: true, registerMap: { medya: 'a' } },
};

function sample(kind: QuestionKind): QuestionFile {
  return QuestionFile.parse({
    kind,
    id: 'soru',
    text: { tr: 'Soru', en: 'Question' },
    help: { tr: 'Yardım' },
    required: true,
    showWhen: { question: 'evcil', anyOf: ['evet'] },
    ...(SAMPLES[kind] as object),
  });
}

interface Render {
  kind: QuestionKind;
  values: FormValues;
  errors?: FieldErrors;
  locked?: boolean;
  lang?: Language;
  earlierQuestions?: typeof EARLIER;
}

async function render({ kind, values, errors = {}, locked = false, lang = 'tr', earlierQuestions = EARLIER }: Render): Promise<string> {
  return ejs.renderFile(
    VIEW,
    { kind, values, errors, t: translators[lang], lang, roles: [...QUESTION_ROLES], earlierQuestions, lists: [...SHARED_LISTS], locked },
    { views: [VIEWS_DIR], rmWhitespace: true },
  );
}

const page = (fields: string) => `<!DOCTYPE html><html lang="tr"><head><title>Soru</title></head><body><main><form method="post" action="/x">${fields}<button type="submit">Kaydet</button></form></main></body></html>`;

/** The tags of form controls that need a label (hidden inputs need none). */
function controls(html: string): { tag: string; id: string | undefined; name: string | undefined }[] {
  return [...html.matchAll(/<(input|select|textarea)\b([^>]*)>/g)]
    .filter(([, , attrs]) => !/type="hidden"/.test(attrs!))
    .map(([tag, , attrs]) => ({ tag: tag!, id: /\bid="([^"]+)"/.exec(attrs!)?.[1], name: /\bname="([^"]+)"/.exec(attrs!)?.[1] }));
}

describe('the question fields', () => {
  it.each([...QUESTION_KINDS])('of a %s question name every field the form reads back, each with a label, in valid HTML', async (kind) => {
    const question = sample(kind);
    const values = formValuesOf(question);
    const html = await render({ kind, values });
    const names = new Set(controls(html).map((control) => control.name));
    for (const name of Object.keys({ ...blankFormValues(kind), ...values })) {
      expect({ kind, name, rendered: names.has(name) }).toEqual({ kind, name, rendered: true });
    }
    for (const control of controls(html)) {
      expect({ control, labelled: control.id !== undefined && html.includes(`<label for="${control.id}"`) }).toEqual({ control, labelled: true });
    }
    expect(await htmlProblems(page(html))).toEqual([]);
    // What the page shows, posted back as it is, is the same question (checkboxes post only when checked).
    const posted = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== ''));
    const result = questionFromForm(kind, posted, translators.tr);
    expect(result).toEqual({ ok: true, question });
  });

  it.each([...QUESTION_KINDS])('of a blank %s question render in English too, with blank rows to fill', async (kind) => {
    const html = await render({ kind, values: blankFormValues(kind), lang: 'en', earlierQuestions: [] });
    expect(html).toContain('Question text');
    expect(html).toContain('No choice question before this one can be used in a condition.');
    expect(html).not.toMatch(/admin:editor|editor\.fields/);
    expect(await htmlProblems(page(html))).toEqual([]);
  });

  it('escape what the planner wrote, in values, options and earlier questions', async () => {
    const attack = '<script>alert("x")</script>';
    const values = {
      ...formValuesOf(sample('single_choice')),
      'text.tr': attack,
      'options.0.tr': `"><img src=x onerror=alert(1)>`,
      'options.paste': attack,
    };
    const earlierQuestions = [{ id: 'evcil', text: attack, values: [{ id: 'evet', label: attack }] }];
    const html = await render({ kind: 'single_choice', values, errors: { id: attack }, earlierQuestions });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;');
  });

  it('show each error next to its field, tied to it by aria-describedby', async () => {
    const result = questionFromForm(
      'single_choice',
      {
        id: 'Kötü id',
        'options.0.id': 'a', 'options.0.tr': 'A',
        'options.1.id': 'a', 'options.1.tr': 'Yine A',
        'showWhen.question': 'evcil', 'showWhen.operator': 'equals',
      },
      translators.tr,
    );
    if (result.ok) throw new Error('accepted');
    expect(Object.keys(result.errors).sort()).toEqual(['id', 'options.1.id', 'showWhen.value', 'text.tr']);
    const html = await render({ kind: 'single_choice', values: result.values, errors: result.errors });
    for (const [field, message] of Object.entries(result.errors)) {
      const id = `qf-${field.replace(/\./g, '-')}`;
      const error = new RegExp(`<p class="error" id="${id}-error">([^<]*)</p>`).exec(html);
      expect({ field, message: error?.[1] }).toEqual({ field, message: message.replace(/"/g, '&#34;') });
    }
    for (const field of ['id', 'text.tr', 'options.1.id']) {
      const id = `qf-${field.replace(/\./g, '-')}`;
      expect(html).toMatch(new RegExp(`id="${id}"[^>]*aria-invalid="true" aria-describedby="[^"]*${id}-error"`));
      // The message comes right after its own input, not in a list at the top.
      expect(html.indexOf(`id="${id}-error"`) - html.indexOf(`id="${id}"`)).toBeLessThan(400);
    }
    expect(html).toMatch(/<fieldset aria-describedby="qf-showWhen-value-error">/);
    expect(await htmlProblems(page(html))).toEqual([]);
  });

  it('tick the condition values only under the chosen question, and open its group', async () => {
    const values = { ...blankFormValues('short_text'), 'showWhen.question': 'renk', 'showWhen.operator': 'anyOf', 'showWhen.value.renk': 'kirmizi,other' };
    const html = await render({ kind: 'short_text', values });
    expect(html).toMatch(/<details class="qf-values" open><summary>En sevdiğiniz renk/);
    expect(html).toMatch(/<details class="qf-values"><summary>Evcil hayvanınız var mı\?/);
    expect(html.match(/name="showWhen.value.renk" value="[a-z]+" checked/g)).toEqual([
      'name="showWhen.value.renk" value="kirmizi" checked',
      'name="showWhen.value.renk" value="other" checked',
    ]);
    expect(html).toMatch(/<option value="anyOf" selected>/);
  });

  it('in locked mode keep the stored ids read-only and offer no removal of stored rows, while new rows stay open', async () => {
    const question = sample('multiple_choice');
    const html = await render({ kind: 'multiple_choice', values: formValuesOf(question), locked: true });
    expect(html).toMatch(/id="qf-id" name="id" value="soru" readonly/);
    expect(html).toMatch(/id="qf-options-0-id" name="options.0.id" value="a" readonly/);
    expect(html).not.toContain('name="options.0.remove"');
    expect(html).toMatch(/<input type="hidden" name="options.1.new" value="on">\s*<label[^>]*>[^<]*<\/label>\s*<input type="text" id="qf-options-1-id" name="options.1.id" value="">/);
    expect(html).not.toContain('<select id="qf-options-list"');
    expect(html).toContain('<input type="hidden" name="options.list" value="">');
    expect(await htmlProblems(page(html))).toEqual([]);

    const open = await render({ kind: 'multiple_choice', values: formValuesOf(question) });
    expect(open).toContain('name="options.0.remove"');
    expect(open).not.toMatch(/name="options.0.id" value="a" readonly/);
  });

  it('offer the shared lists and the report roles by name', async () => {
    const html = await render({ kind: 'select', values: { ...blankFormValues('select'), 'options.list': 'mahalles', role: 'profile.mahalle' } });
    expect(html).toContain('<option value="mahalles" selected>Mahalleler (ortak liste)</option>');
    expect(html).toContain('<option value="profile.mahalle" selected>Profil: mahalle</option>');
    for (const role of QUESTION_ROLES) expect(html).toContain(`<option value="${role}"`);
  });

  it('show a condition nested deeper than the form can, read-only with a notice, kept in a hidden field', async () => {
    const nested = { all: [{ question: 'renk', equals: 'kirmizi' }, { any: [{ question: 'evcil', equals: 'evet' }, { question: 'renk', equals: 'mavi' }] }] };
    const question = QuestionFile.parse({ kind: 'short_text', id: 'soru', text: { tr: 'Soru' }, showWhen: nested });
    const html = await render({ kind: 'short_text', values: formValuesOf(question) });
    expect(html).toContain('Bu koşul iç içe birleştirilmiş');
    expect(html).toContain(`<input type="hidden" name="showWhen.kept" value="${JSON.stringify(nested).replace(/"/g, '&#34;')}">`);
    expect(html).not.toContain('name="showWhen.question"');
    expect(html).not.toContain('name="showWhen.1.question"');
    expect(await htmlProblems(page(html))).toEqual([]);
  });

  it('offer further comparisons with one blank beyond those filled, and show their errors at them', async () => {
    const blank = await render({ kind: 'short_text', values: blankFormValues('short_text') });
    expect(blank.match(/name="showWhen(\.\d+)?\.question"/g)).toEqual(['name="showWhen.question"', 'name="showWhen.1.question"', 'name="showWhen.2.question"']);
    const result = questionFromForm('short_text', {
      ...blankFormValues('short_text'), id: 'soru', 'text.tr': 'Soru', 'showWhen.combine': 'any',
      'showWhen.question': 'evcil', 'showWhen.operator': 'equals', 'showWhen.value.evcil': 'evet',
      'showWhen.1.question': 'renk', 'showWhen.1.operator': 'anyOf', 'showWhen.1.value.renk': ['mavi', 'other'],
      'showWhen.2.question': 'evcil', 'showWhen.2.operator': 'equals',
    }, translators.tr);
    if (result.ok) throw new Error('accepted');
    expect(result.errors).toEqual({ 'showWhen.2.value': 'Koşul için en az bir değer işaretleyin.' });
    const html = await render({ kind: 'short_text', values: result.values, errors: result.errors });
    expect(html.match(/name="showWhen(\.\d+)?\.question"/g)).toHaveLength(4);
    expect(html).toMatch(/<option value="any" selected>/);
    expect(html.match(/name="showWhen.1.value.renk" value="[a-z]+" checked/g)).toEqual(['name="showWhen.1.value.renk" value="mavi" checked', 'name="showWhen.1.value.renk" value="other" checked']);
    expect(html).toContain('<p class="error" id="qf-showWhen-2-value-error">Koşul için en az bir değer işaretleyin.</p>');
    expect(html).toMatch(/<fieldset aria-describedby="qf-showWhen-2-value-error">/);
    expect(await htmlProblems(page(html))).toEqual([]);
  });

  it('offer each register group by its name, with the question\'s options or "ask the institution"', async () => {
    const html = await render({ kind: 'single_choice', values: { ...formValuesOf(sample('single_choice')), role: 'profile.institution_type' } });
    expect(html).toMatch(/<details class="qf-register-map" id="qf-registerMap" open>/);
    expect(html).toContain('<label for="qf-registerMap-kamu">Kamu kurumu</label>');
    expect(html).toMatch(/<select id="qf-registerMap-kamu" name="registerMap.kamu">\s*<option value="">Kuruma sor<\/option>\s*<option value="a" selected>A \(a\)<\/option>/);
  });
});
