// The entry grid and the printed form carry the same numbers: a clerk types what the paper shows.
// For both bundled surveys (and the all-kinds fixture), the grid's columns are the printed
// question numbers (matrix rows 5a, 5b…), its legend the printed choice numbers, and a cell with a
// printed number stores the choice printed next to it.
import type { Answer } from '../../../server/surveys/survey-answers';
import { columnChoices, gridColumns, parseGridRow } from '../../../server/surveys/paper/grid-cells';
import { paperQuestions } from '../../../server/surveys/paper/paper-numbering';
import { loadCatalog } from '../../../server/surveys/survey-catalog';
import { BUNDLED_SURVEYS, FIXTURE_SURVEYS } from '../../helpers/test-app';

/** The ids an answer holds, one per column (a matrix row each). */
function chosen(answer: Answer): string[] {
  switch (answer.kind) {
    case 'single_choice':
    case 'select':
      return [answer.optionId];
    case 'multiple_choice':
      return answer.optionIds;
    case 'ranking':
      return answer.itemIds;
    case 'likert_matrix':
      return Object.values(answer.rows).map(String);
    default:
      return [];
  }
}

const bundled = loadCatalog(BUNDLED_SURVEYS).surveys;
const surveys = [...bundled, loadCatalog(FIXTURE_SURVEYS).find('tum-soru-tipleri')!];

describe('grid columns and the printed form', () => {
  it('covers both bundled surveys', () => {
    expect(bundled.map((s) => s.slug).sort()).toEqual(['kurum-gorus-formu', 'vatandas-anketi']);
  });

  it.each(surveys.map((s) => [s.slug, s] as const))('%s: column labels are the printed numbers', (_slug, survey) => {
    const printed = paperQuestions(survey).flatMap((q) => (q.rows.length > 0 ? q.rows.map((r) => r.number) : [q.number]));
    expect(gridColumns(survey).map((c) => c.key)).toEqual(printed);
  });

  it.each(surveys.map((s) => [s.slug, s] as const))('%s: each column’s legend numbers are the printed choice numbers', (_slug, survey) => {
    const printed = new Map(paperQuestions(survey).map((q) => [q.question.id, q.choices.filter((c) => c.kind !== 'value')]));
    for (const column of gridColumns(survey)) {
      const legend = columnChoices(column).map((c) => `${c.number}:${typeof c.option === 'string' ? c.option : c.option.id}`);
      const onPaper = printed.get(column.question.id)!.map((c) => `${c.number}:${c.kind === 'other' ? 'other' : c.kind === 'not_applicable' ? 'not_applicable' : c.id}`);
      expect(legend).toEqual(onPaper);
    }
  });

  it.each(surveys.map((s) => [s.slug, s] as const))('%s: a printed number typed into its column stores the printed choice', (_slug, survey) => {
    let checked = 0;
    for (const q of paperQuestions(survey)) {
      if (q.question.showWhen) continue;
      const section = survey.sections[q.sectionIndex]!;
      if (section.showWhen) continue;
      const keys = q.rows.length > 0 ? q.rows.map((r) => r.number) : [q.number];
      for (const choice of q.choices) {
        if (choice.kind === 'value') continue;
        const parsed = parseGridRow(survey, Object.fromEntries(keys.map((key) => [key, String(choice.number)])));
        expect(parsed.ok ? {} : { number: q.number, choice: choice.number, errors: parsed.errors }).toEqual({});
        if (!parsed.ok) continue;
        expect(chosen(parsed.answers.get(q.question.id)!)).toEqual(keys.map(() => choice.id));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);
  });
});
