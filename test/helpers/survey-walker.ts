// Fills any survey with valid answers, page by page, through HTTP, like a person would.
import type TestAgent from 'supertest/lib/agent';
import { ratingRange } from '../../server/surveys/survey-answers';
import { assertNever, type Question, type Survey } from '../../server/surveys/survey-definition';
import { answerSection, type Fields } from './forms';

/** A valid answer for every question: first options, lowest scale points, plain texts. */
export function validFields(question: Question): Fields {
  switch (question.kind) {
    case 'single_choice':
    case 'select':
      return { [question.id]: question.options[0]!.id };
    case 'multiple_choice':
      return { [question.id]: question.options.find((o) => !o.exclusive)!.id };
    case 'likert_matrix':
      return Object.fromEntries(question.rows.map((row) => [`${question.id}.${row.id}`, String(question.scale[0]!.value)]));
    case 'rating':
      return { [question.id]: String(ratingRange(question).min) };
    case 'ranking':
      return Object.fromEntries(question.items.slice(0, question.rankCount).map((item, i) => [`${question.id}.${i + 1}`, item.id]));
    case 'short_text':
    case 'long_text':
      return { [question.id]: 'Deneme metni' };
    case 'number':
      return { [question.id]: String(question.min ?? 1) };
    case 'date':
      return { [question.id]: question.min ?? '2024-01-02' };
    default:
      return assertNever(question);
  }
}

export function validSectionFields(survey: Survey, sectionIndex: number): Fields {
  return Object.assign({}, ...survey.sections[sectionIndex]!.questions.map(validFields));
}

/** Walks a survey from section 1 to the thank-you page; returns the URLs of the section pages seen. */
export async function completeSurvey(
  agent: TestAgent,
  survey: Survey,
  answersFor: (sectionIndex: number) => Fields = (index) => validSectionFields(survey, index),
  /** Where the sections live: the public survey by default, an invitation's /gorus/<token> for institutions. */
  base = `/anket/${survey.slug}`,
): Promise<string[]> {
  let url = `${base}/1`;
  const seen: string[] = [];
  for (let step = 0; step < survey.sections.length + 1; step++) {
    seen.push(url);
    const index = Number(url.split('/').pop()) - 1;
    const { response } = await answerSection(agent, url, answersFor(index));
    if (response.status !== 303) throw new Error(`POST ${url} answered ${response.status}`);
    const next = response.headers.location!;
    if (next.endsWith('/tesekkurler') || next.endsWith('/alindi')) return seen;
    url = next;
  }
  throw new Error('survey did not finish');
}
