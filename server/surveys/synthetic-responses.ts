// Plausible, reproducible responses for any survey definition: for demo installs, benchmarks and
// tests that need volume. The same seed gives the same responses. Every generated answer goes
// through the real parser and conditions, so the data is exactly what the site could have stored.
import type { Db } from '../platform/db/connection';
import * as answerTallyRepository from './answer-tally.repository';
import { answerRows, ratingRange, type FormFields } from './survey-answers';
import { allQuestions, assertNever, type Question, type Survey } from './survey-definition';
import { evaluate, visibleSections } from './survey-flow';
import { speederThreshold } from './quality/quality-checks';
import type { ResponseChannel } from './response.table';
import { syntheticOpinion } from './synthetic-opinions';
import { advanceIdSequence } from '../platform/db/portable-sql';

/** mulberry32: a small, fast, seedable generator. */
export function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}


/** Form fields for a whole response, skewed the way real answers are (options not equally liked). */
export function syntheticFields(survey: Survey, random: () => number): FormFields {
  const fields: FormFields = {};
  // A stable preference per option, so distributions differ across options but not across runs.
  const weight = (index: number, count: number) => (count - index) ** 1.3 + 1;
  const pick = <T>(items: T[]): T => {
    const weights = items.map((_, i) => weight(i, items.length));
    let r = random() * weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < items.length; i++) {
      r -= weights[i]!;
      if (r <= 0) return items[i]!;
    }
    return items.at(-1)!;
  };
  const scaleValue = (values: number[]) => {
    // Municipal satisfaction leans to the middle and upper points.
    const r = random();
    const index = Math.min(values.length - 1, Math.floor(values.length * Math.sqrt(r)));
    return values[index]!;
  };
  for (const question of allQuestions(survey)) fill(question);
  return fields;

  function fill(question: Question): void {
    switch (question.kind) {
      case 'single_choice':
      case 'select':
        fields[question.id] = pick(question.options).id;
        return;
      case 'multiple_choice': {
        const plain = question.options.filter((o) => !o.exclusive);
        const most = Math.min(question.maxSelections ?? 3, plain.length);
        const chosen = new Set<string>();
        const count = Math.max(question.minSelections ?? 1, 1 + Math.floor(random() * most));
        while (chosen.size < Math.min(count, plain.length)) chosen.add(pick(plain).id);
        fields[question.id] = [...chosen];
        return;
      }
      case 'likert_matrix': {
        const values = question.scale.map((p) => p.value);
        for (const row of question.rows) {
          fields[`${question.id}.${row.id}`] = question.notApplicable && random() < 0.08 ? 'na' : String(scaleValue(values));
        }
        return;
      }
      case 'rating': {
        const { min, max } = ratingRange(question);
        fields[question.id] = String(scaleValue(Array.from({ length: max - min + 1 }, (_, i) => min + i)));
        return;
      }
      case 'ranking': {
        const items = [...question.items];
        for (let rank = 1; rank <= question.rankCount; rank++) {
          const item = pick(items);
          items.splice(items.indexOf(item), 1);
          fields[`${question.id}.${rank}`] = item.id;
        }
        return;
      }
      case 'short_text':
      case 'long_text':
        if (question.required || random() < 0.35) fields[question.id] = syntheticOpinion(random).text.slice(0, question.maxLength);
        return;
      case 'number': {
        const min = question.min ?? 0;
        const max = question.max ?? min + 100;
        const value = min + random() * (max - min);
        fields[question.id] = String(question.integer ? Math.round(value) : Math.round(value * 100) / 100);
        return;
      }
      case 'date': {
        const min = Date.parse(question.min ?? '2015-01-01');
        const max = Date.parse(question.max ?? '2025-12-31');
        fields[question.id] = new Date(min + random() * (max - min)).toISOString().slice(0, 10);
        return;
      }
      default:
        assertNever(question);
    }
  }
}

/**
 * How long a person takes over the pages after the first (the part of a response that is timed,
 * see speederThreshold): around three times the speeder threshold, which is set near a third of a
 * typical reader's time, spread log-normally (σ 0.45: nine in ten between 1.4 and 6.3 times it).
 * A survey too short to time gets two minutes or so.
 */
function personSeconds(survey: Survey, evaluation: ReturnType<typeof evaluate>, random: () => number): number {
  const threshold = speederThreshold(survey, { sections: visibleSections(survey, evaluation), questions: evaluation.visible, answers: evaluation.answers }) ?? 40;
  // Box–Muller: a standard normal from two uniforms.
  const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Math.round(threshold * 3 * Math.exp(0.45 * normal));
}

export interface SyntheticOptions {
  count: number;
  seed?: number;
  /** Submission times are spread evenly over this period. */
  from?: Date;
  to?: Date;
  channels?: ResponseChannel[];
  /**
   * The staff who typed in the paper and face-to-face questionnaires ("Giren"), taken in turn;
   * without them those responses name nobody.
   */
  enteredBy?: readonly number[];
}

/** Inserts complete responses, a thousand per transaction, in multi-row inserts. Returns how many. */
export async function insertSyntheticResponses(db: Db, survey: Survey, options: SyntheticOptions): Promise<number> {
  const random = randomSource(options.seed ?? 1);
  const from = (options.from ?? new Date('2026-06-01T06:00:00Z')).getTime();
  const to = (options.to ?? new Date('2026-08-31T18:00:00Z')).getTime();
  const channels = options.channels ?? ['online', 'online', 'online', 'online', 'face_to_face', 'paper'];
  const questions = allQuestions(survey);
  const BATCH = 1000;
  // SQLite binds at most 32,766 values per statement: 8 columns × 3,000 answer rows stays below.
  const ANSWER_CHUNK = 3000;
  const RESPONSE_CHUNK = 500;
  for (let start = 0; start < options.count; start += BATCH) {
    await db.transaction().execute(async (trx) => {
      // The transaction holds the write lock (on both engines), so ids after the current largest are ours to give.
      const last = await trx.selectFrom('responses').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
      let nextId = Number(last?.id ?? 0) + 1;
      const responses = [];
      const answers = [];
      for (let i = start; i < Math.min(options.count, start + BATCH); i++) {
        const evaluation = evaluate(survey, syntheticFields(survey, random));
        const submitted = from + ((to - from) * i) / Math.max(1, options.count - 1);
        const at = new Date(submitted).toISOString();
        const seconds = personSeconds(survey, evaluation, random);
        const id = nextId++;
        // Drawn in this order, so a seed gives the same responses as before.
        const language = random() < 0.93 ? 'tr' : 'en';
        const channel = channels[Math.floor(random() * channels.length)]!;
        const clerks = options.enteredBy ?? [];
        responses.push({
          id,
          survey_slug: survey.slug,
          definition_hash: survey.hash,
          language,
          channel,
          status: 'complete' as const,
          // In turn, not drawn: the answers stay the same with or without clerks.
          entered_by: channel !== 'online' && clerks.length > 0 ? clerks[i % clerks.length]! : null,
          started_at: new Date(submitted - seconds * 1000).toISOString(),
          updated_at: at,
          submitted_at: at,
        });
        for (const question of questions) {
          const answer = evaluation.answers.get(question.id);
          if (answer) answers.push(...answerRows(question.id, answer).map((row) => ({ ...row, response_id: id })));
        }
      }
      for (let i = 0; i < responses.length; i += RESPONSE_CHUNK) {
        await trx.insertInto('responses').values(responses.slice(i, i + RESPONSE_CHUNK)).execute();
      }
      for (let i = 0; i < answers.length; i += ANSWER_CHUNK) {
        await trx.insertInto('answers').values(answers.slice(i, i + ANSWER_CHUNK)).execute();
      }
      const byResponse = new Map<number, typeof answers>();
      for (const answer of answers) byResponse.set(answer.response_id, [...(byResponse.get(answer.response_id) ?? []), answer]);
      await answerTallyRepository.count(trx, survey.slug, [...byResponse.values()], 1);
      await advanceIdSequence(trx, 'responses');
    });
  }
  return options.count;
}
