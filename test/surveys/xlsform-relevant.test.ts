// XLSForm `relevant` for conditions combined with and/or (parentheses where they nest) and for
// whole sections (begin_group relevant), both ways and through a real workbook.
import type { Condition, Survey } from '../../server/surveys/survey-definition';
import { conditionOf, fromXlsForm, readXlsForm, relevantOf, toXlsForm, writeXlsForm } from '../../server/surveys/xlsform';

const a = { question: 'a', equals: 'x' };
const b = { question: 'b', notEquals: 'y' };
const m = { question: 'm', includes: 'k' };

describe('relevantOf and conditionOf', () => {
  it.each<[string, Condition, string]>([
    ['and', { all: [a, m] }, "${a} = 'x' and selected(${m}, 'k')"],
    ['or', { any: [a, b] }, "${a} = 'x' or ${b} != 'y'"],
    ['or inside and', { all: [m, { any: [a, b] }] }, "selected(${m}, 'k') and (${a} = 'x' or ${b} != 'y')"],
    ['and inside or', { any: [{ all: [a, b] }, m] }, "(${a} = 'x' and ${b} != 'y') or selected(${m}, 'k')"],
    ['anyOf inside and', { all: [{ question: 'a', anyOf: ['x', 'z'] }, b] }, "(${a} = 'x' or ${a} = 'z') and ${b} != 'y'"],
    ['three levels', { all: [a, { any: [b, { all: [m, { question: 'c', equals: 'w' }] }] }] }, "${a} = 'x' and (${b} != 'y' or (selected(${m}, 'k') and ${c} = 'w'))"],
  ])('write %s with parentheses and read it back the same', (_name, condition, expression) => {
    expect(relevantOf(condition)).toBe(expression);
    expect(conditionOf(expression)).toEqual(condition);
  });

  it('reads "and" as binding tighter than "or", spaces and double quotes as they come', () => {
    expect(conditionOf("${a} = 'x' or ${b} != 'y' and selected(${m}, 'k')")).toEqual({ any: [a, { all: [b, m] }] });
    expect(conditionOf(' ( ${a}="x" )  and(selected( ${m} , "k" )) ')).toEqual({ all: [a, m] });
    // Equalities on one question joined by "or" are the anyOf form.
    expect(conditionOf("${a} = 'x' or ${a} = 'z'")).toEqual({ question: 'a', anyOf: ['x', 'z'] });
  });

  it.each([
    "${a} = 'x' and",
    "(${a} = 'x'",
    "${a} = 'x')",
    "not(${a} = 'x')",
    "${a} = 'x' xor ${b} = 'y'",
    "${a} > 3",
    "${a} = 'x' andselected(${m}, 'k')",
    '()',
  ])('refuses %s', (expression) => {
    expect(conditionOf(expression)).toBeNull();
  });
});

describe('a section shown only when a condition holds', () => {
  const survey: Survey = {
    slug: 'bolum-kosulu',
    title: { tr: 'Bölüm koşulu' },
    intro: { tr: 'Giriş' },
    audience: 'citizen',
    opensAt: '2026-01-01T00:00:00+03:00',
    closesAt: '2026-12-31T00:00:00+03:00',
    anonymous: true,
    oneResponsePerBrowser: true,
    hash: '',
    sections: [
      {
        id: 'ilk',
        title: { tr: 'İlk' },
        questions: [
          { kind: 'single_choice', id: 'a', text: { tr: 'A' }, required: true, other: false, options: [{ id: 'x', label: { tr: 'X' } }, { id: 'z', label: { tr: 'Z' } }] },
          { kind: 'multiple_choice', id: 'm', text: { tr: 'M' }, required: false, other: false, options: [{ id: 'k', label: { tr: 'K' } }, { id: 'l', label: { tr: 'L' } }] },
          { kind: 'short_text', id: 'neden', text: { tr: 'Neden?' }, required: false, maxLength: 200, showWhen: { any: [a, m] } },
        ],
      },
      {
        id: 'ikinci',
        title: { tr: 'İkinci' },
        showWhen: { all: [{ question: 'a', anyOf: ['x', 'z'] }, { any: [m, { question: 'm', includes: 'l' }] }] },
        questions: [{ kind: 'long_text', id: 'ayrinti', text: { tr: 'Ayrıntı' }, required: false, maxLength: 2000 }],
      },
    ],
  };

  it('goes out as begin_group relevant and comes back on the section, through a workbook', async () => {
    const sheets = toXlsForm(survey);
    const header = sheets.survey[0]!;
    const group = sheets.survey.find((row) => row[header.indexOf('type')] === 'begin_group' && row[header.indexOf('name')] === 'ikinci')!;
    expect(group[header.indexOf('relevant')]).toBe("(${a} = 'x' or ${a} = 'z') and (selected(${m}, 'k') or selected(${m}, 'l'))");
    const first = sheets.survey.find((row) => row[header.indexOf('name')] === 'ilk')!;
    expect(first[header.indexOf('relevant')] ?? '').toBe('');

    const result = fromXlsForm(await readXlsForm(await writeXlsForm(sheets)), {
      slug: survey.slug,
      audience: survey.audience,
      opensAt: survey.opensAt,
      closesAt: survey.closesAt,
      intro: survey.intro,
    });
    if (!('survey' in result)) throw new Error(JSON.stringify(result.problems));
    expect(result.survey.sections.map((s) => s.showWhen)).toEqual([undefined, survey.sections[1]!.showWhen]);
    expect(result.survey.sections[0]!.questions[2]!.showWhen).toEqual({ any: [a, m] });
  });

  it('refuses a group relevant it cannot read, by row', () => {
    const result = fromXlsForm(
      {
        survey: [
          ['type', 'name', 'label', 'relevant'],
          ['begin_group', 'g', 'G', '${a} > 3'],
          ['text', 't', 'T', ''],
          ['end_group', '', '', ''],
        ],
      },
      { slug: 'x', audience: 'citizen', opensAt: '2026-01-01T00:00:00+03:00', closesAt: '2026-12-31T00:00:00+03:00', intro: { tr: 'Giriş' } },
    );
    expect('problems' in result && result.problems.map((p) => [p.row, p.key])).toEqual([[2, 'admin:xlsform.relevant_unsupported']]);
  });
});
