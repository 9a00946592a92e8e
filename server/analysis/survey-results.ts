// Summaries per question kind, computed from grouped counts. Pure: the numbers in the results
// page, the exports and (later) the report all come from here.
import { assertNever, bandCategory, OTHER_OPTION_ID, OUTSIDE_BANDS_ID, ratingRange, type Question, type QuestionOf, type Survey } from '../surveys';
import type { AnswerCount } from './results.repository';

export interface Share {
  count: number;
  /** 0–100, of the question's respondents (or of a likert row's answers without "Bilgim yok"). */
  percent: number;
}

export interface ChoiceResult {
  kind: 'choice';
  question: QuestionOf<'single_choice' | 'multiple_choice' | 'select'>;
  /** Respondents who answered the question. */
  n: number;
  options: (Share & { id: string })[];
}

export interface LikertRowResult {
  id: string;
  /** Answers on the scale; "Bilgim yok" is counted apart and left out of n, shares and the mean. */
  n: number;
  points: (Share & { value: number })[];
  notApplicable: number;
  /** Share of "Bilgim yok" among everyone who answered the row. */
  notApplicablePercent: number;
  mean: number | null;
  /** Share of the two most positive points (the satisfaction rate). */
  topTwoPercent: number | null;
}

export interface LikertResult {
  kind: 'likert';
  question: QuestionOf<'likert_matrix'>;
  rows: LikertRowResult[];
}

export interface RatingResult {
  kind: 'rating';
  question: QuestionOf<'rating'>;
  n: number;
  mean: number | null;
  median: number | null;
  points: (Share & { value: number })[];
  /** Net Promoter Score for 0–10 scales: % 9–10 minus % 0–6. */
  nps: number | null;
}

export interface RankingResult {
  kind: 'ranking';
  question: QuestionOf<'ranking'>;
  n: number;
  items: { id: string; chosen: number; chosenPercent: number; first: number; score: number; rank: number }[];
}

export interface NumberResult {
  kind: 'number';
  question: QuestionOf<'number'>;
  n: number;
  mean: number | null;
  median: number | null;
  min: number | null;
  max: number | null;
  /**
   * A banded number's answers per band, of n, like a single choice's options; the answers in no
   * band form one more category (OUTSIDE_BANDS_ID), listed only when there are some. Null without bands.
   */
  bands: (Share & { id: string })[] | null;
}

export interface DateResult {
  kind: 'date';
  question: QuestionOf<'date'>;
  n: number;
  min: string | null;
  max: string | null;
  months: { month: string; count: number }[];
}

export interface TextResult {
  kind: 'text';
  question: QuestionOf<'short_text' | 'long_text'>;
  n: number;
}

export type QuestionResult = ChoiceResult | LikertResult | RatingResult | RankingResult | NumberResult | DateResult | TextResult;

const percent = (count: number, of: number) => (of > 0 ? (count / of) * 100 : 0);

/** Mean of a frequency table. */
export function meanOf(frequencies: { value: number; count: number }[]): number | null {
  const n = frequencies.reduce((sum, f) => sum + f.count, 0);
  return n > 0 ? frequencies.reduce((sum, f) => sum + f.value * f.count, 0) / n : null;
}

/** Median of a frequency table: the middle value, or the mean of the two middle ones. */
export function medianOf(frequencies: { value: number; count: number }[]): number | null {
  const sorted = [...frequencies].filter((f) => f.count > 0).sort((a, b) => a.value - b.value);
  const n = sorted.reduce((sum, f) => sum + f.count, 0);
  if (n === 0) return null;
  const at = (position: number) => {
    let seen = 0;
    for (const f of sorted) {
      seen += f.count;
      if (seen >= position) return f.value;
    }
    return sorted.at(-1)!.value;
  };
  return n % 2 === 1 ? at((n + 1) / 2) : (at(n / 2) + at(n / 2 + 1)) / 2;
}

export function summarize(question: Question, counts: AnswerCount[], respondents: number, dates: { date: string; count: number }[] = []): QuestionResult {
  const mine = counts.filter((c) => c.questionId === question.id);
  const countOf = (predicate: (c: AnswerCount) => boolean) => mine.filter(predicate).reduce((sum, c) => sum + c.count, 0);
  switch (question.kind) {
    case 'single_choice':
    case 'multiple_choice':
    case 'select': {
      const ids = [...question.options.map((o) => o.id), ...('other' in question && question.other ? [OTHER_OPTION_ID] : [])];
      return {
        kind: 'choice',
        question,
        n: respondents,
        options: ids.map((id) => {
          const count = countOf((c) => c.optionId === id);
          return { id, count, percent: percent(count, respondents) };
        }),
      };
    }
    case 'likert_matrix': {
      const values = question.scale.map((p) => p.value);
      const topTwo = values.slice(-2);
      return {
        kind: 'likert',
        question,
        rows: question.rows.map((row) => {
          const rowCounts = mine.filter((c) => c.optionId === row.id);
          const points = values.map((value) => ({ value, count: rowCounts.filter((c) => !c.notApplicable && c.value === value).reduce((s, c) => s + c.count, 0) }));
          const n = points.reduce((sum, p) => sum + p.count, 0);
          const notApplicable = rowCounts.filter((c) => c.notApplicable).reduce((s, c) => s + c.count, 0);
          return {
            id: row.id,
            n,
            points: points.map((p) => ({ ...p, percent: percent(p.count, n) })),
            notApplicable,
            notApplicablePercent: percent(notApplicable, n + notApplicable),
            mean: meanOf(points),
            topTwoPercent: n > 0 ? percent(points.filter((p) => topTwo.includes(p.value)).reduce((s, p) => s + p.count, 0), n) : null,
          };
        }),
      };
    }
    case 'rating': {
      const { min, max } = ratingRange(question);
      const points = Array.from({ length: max - min + 1 }, (_, i) => min + i).map((value) => ({ value, count: countOf((c) => c.value === value) }));
      const n = points.reduce((sum, p) => sum + p.count, 0);
      const promoters = points.filter((p) => p.value >= 9).reduce((s, p) => s + p.count, 0);
      const detractors = points.filter((p) => p.value <= 6).reduce((s, p) => s + p.count, 0);
      return {
        kind: 'rating',
        question,
        n,
        mean: meanOf(points),
        median: medianOf(points),
        points: points.map((p) => ({ ...p, percent: percent(p.count, n) })),
        nps: question.scale === '0-10' && n > 0 ? percent(promoters, n) - percent(detractors, n) : null,
      };
    }
    case 'ranking': {
      const places = question.rankCount;
      const ids = [...question.items.map((item) => item.id), ...(question.other ? [OTHER_OPTION_ID] : [])];
      const items = ids.map((id) => {
        const ranks = mine.filter((c) => c.optionId === id && c.rank !== null);
        const chosen = ranks.reduce((s, c) => s + c.count, 0);
        const first = ranks.filter((c) => c.rank === 1).reduce((s, c) => s + c.count, 0);
        // First place earns N points, second N-1, …: a 3-2-1 score for a top three.
        const score = ranks.reduce((s, c) => s + c.count * (places - (c.rank ?? places) + 1), 0);
        return { id, chosen, chosenPercent: percent(chosen, respondents), first, score, rank: 0 };
      });
      const order = [...items].sort((a, b) => b.score - a.score || b.first - a.first || b.chosen - a.chosen);
      for (const item of items) item.rank = order.findIndex((o) => o.score === item.score && o.first === item.first && o.chosen === item.chosen) + 1;
      return { kind: 'ranking', question, n: respondents, items };
    }
    case 'number': {
      const frequencies = mine.filter((c) => c.value !== null).map((c) => ({ value: c.value!, count: c.count }));
      const n = frequencies.reduce((sum, f) => sum + f.count, 0);
      // A loop, not Math.min(...values): a survey can hold more distinct numbers than a call takes arguments.
      const min = frequencies.reduce<number | null>((least, f) => (least === null || f.value < least ? f.value : least), null);
      const max = frequencies.reduce<number | null>((most, f) => (most === null || f.value > most ? f.value : most), null);
      return { kind: 'number', question, n, mean: meanOf(frequencies), median: medianOf(frequencies), min, max, bands: bandShares(question, frequencies, n) };
    }
    case 'date': {
      const sorted = [...dates].sort((a, b) => a.date.localeCompare(b.date));
      const months = new Map<string, number>();
      // Every month from the first to the last, empty ones included, so the histogram has no gaps.
      if (sorted.length > 0) {
        let [year, month] = sorted[0]!.date.slice(0, 7).split('-').map(Number) as [number, number];
        const last = sorted.at(-1)!.date.slice(0, 7);
        for (;;) {
          const key = `${year}-${String(month).padStart(2, '0')}`;
          months.set(key, 0);
          if (key >= last) break;
          month = month === 12 ? 1 : month + 1;
          if (month === 1) year++;
        }
      }
      for (const d of sorted) months.set(d.date.slice(0, 7), (months.get(d.date.slice(0, 7)) ?? 0) + d.count);
      return {
        kind: 'date',
        question,
        n: sorted.reduce((sum, d) => sum + d.count, 0),
        min: sorted[0]?.date ?? null,
        max: sorted.at(-1)?.date ?? null,
        months: [...months].map(([month, count]) => ({ month, count })),
      };
    }
    case 'short_text':
    case 'long_text':
      return { kind: 'text', question, n: respondents };
    default:
      return assertNever(question);
  }
}

/** A banded number's answers counted per band (see NumberResult.bands). */
export function bandShares(question: QuestionOf<'number'>, frequencies: { value: number; count: number }[], n: number): NumberResult['bands'] {
  if (!question.bands) return null;
  const counts = new Map<string, number>();
  for (const f of frequencies) {
    const band = bandCategory(question.bands, f.value);
    counts.set(band, (counts.get(band) ?? 0) + f.count);
  }
  const outside = counts.get(OUTSIDE_BANDS_ID) ?? 0;
  const ids = [...question.bands.map((band) => band.id), ...(outside > 0 ? [OUTSIDE_BANDS_ID] : [])];
  return ids.map((id) => ({ id, count: counts.get(id) ?? 0, percent: percent(counts.get(id) ?? 0, n) }));
}

/** A question's "Yanıtsız": complete, counted responses that left it blank (a clerk's blank among them). */
export interface Unanswered {
  count: number;
  /**
   * The question is asked only under a condition (its own or its section's): the stored answers
   * do not say cheaply whom it applied to, so the count is over every counted response, those it
   * did not apply to included.
   */
  overAll: boolean;
}

/** Whether a question is asked of everyone who answers (no condition on it or its section). */
export function askedOfEveryone(survey: Pick<Survey, 'sections'>, questionId: string): boolean {
  return survey.sections.some((section) => !section.showWhen && section.questions.some((q) => q.id === questionId && !q.showWhen));
}

/** responses: the counted complete responses; respondents: those that answered the question. */
export function unanswered(survey: Pick<Survey, 'sections'>, questionId: string, responses: number, respondents: number): Unanswered {
  return { count: Math.max(0, responses - respondents), overAll: !askedOfEveryone(survey, questionId) };
}
