// Quality flags on completed responses, written in the transaction that completes them, and the
// planner's review: exclude (through the one exclusion path, so the tallies follow) or keep.
// Flags never exclude anything by themselves.
import crypto from 'node:crypto';
import * as audit from '../../platform/audit/audit.repository';
import type { Actor } from '../../platform/audit/audit.repository';
import type { Db, Executor } from '../../platform/db/connection';
import * as responseRepository from '../response.repository';
import type { ExclusionReason, ResponseChannel } from '../response.table';
import { answersToFields, type Answer, type AnswerRow, type FormFields } from '../survey-answers';
import { allQuestions, type Survey } from '../survey-definition';
import { evaluate, visibleSections } from '../survey-flow';
import { setExcluded } from '../survey-admin.service';
import {
  answerVectorHash,
  BURST_MIN_COMPLETIONS,
  BURST_WINDOW_MINUTES,
  DUPLICATE_WINDOW_HOURS,
  isSpeeder,
  networkHash,
  networkPrefix,
  speederThreshold,
  straightLinedMatrices,
  type QualityReason,
} from './quality-checks';
import * as qualityRepository from './quality.repository';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
const utcDay = (date: Date) => date.toISOString().slice(0, 10);

export interface Completion {
  survey: Survey;
  responseId: number;
  channel: ResponseChannel;
  startedAt: string;
  now: Date;
  /** The fields the response was completed with, and the answers known beforehand (see evaluate). */
  fields: FormFields;
  prefilled?: string[];
  rows: AnswerRow[];
  /** The client's address (req.ip); only its network's keyed hash is stored. */
  clientAddress?: string | null;
}

/** What a person was shown: the sections and questions, and the answers given. */
function shownOf(survey: Survey, fields: FormFields, prefilled: string[]) {
  const evaluation = evaluate(survey, fields, prefilled);
  return { sections: visibleSections(survey, evaluation), questions: evaluation.visible, answers: evaluation.answers as ReadonlyMap<string, Answer> };
}

/**
 * The day's network keys, today's first, created when missing. A new day's key drops the keys the
 * burst window no longer needs (it reaches back at most into yesterday) with every hash they
 * made, and the answer hashes older than the duplicate window.
 */
async function liveKeys(db: Executor, now: Date): Promise<{ day: string; key: string }[]> {
  const today = utcDay(now);
  const yesterday = utcDay(new Date(now.getTime() - DAY_MS));
  let keys = await qualityRepository.networkKeys(db, yesterday);
  if (keys[0]?.day !== today) {
    await qualityRepository.insertNetworkKey(db, today, crypto.randomBytes(32).toString('hex'), now);
    await dropExpired(db, now);
    keys = await qualityRepository.networkKeys(db, yesterday);
  }
  return keys;
}

/** Drops what the checks no longer need (run on a new day's first completion and hourly). */
export async function dropExpired(db: Executor, now: Date): Promise<void> {
  await qualityRepository.dropNetworkKeys(db, utcDay(new Date(now.getTime() - DAY_MS)));
  await qualityRepository.clearAnswerHashes(db, new Date(now.getTime() - DUPLICATE_WINDOW_HOURS * 60 * MINUTE_MS).toISOString());
}

/**
 * Runs the checks on a response that has just been completed, in the completing transaction, and
 * stores its flags (and those it gives earlier responses: the other half of a duplicate, the rest
 * of a burst). Institutions answer through personal invitations, so their forms are not checked;
 * paper and face-to-face entries are typed by staff, so their pace and network say nothing.
 */
export async function assessCompletion(db: Executor, completion: Completion): Promise<QualityReason[]> {
  const { survey, responseId, now } = completion;
  if (survey.audience === 'institution') return [];
  const online = completion.channel === 'online';
  const shown = shownOf(survey, completion.fields, completion.prefilled ?? []);
  const flags: { responseId: number; reason: QualityReason; detail: unknown }[] = [];

  const duration = online ? Math.max(0, (now.getTime() - Date.parse(completion.startedAt)) / 1000) : null;
  const threshold = online ? speederThreshold(survey, shown) : null;
  if (duration !== null && isSpeeder(duration, threshold)) flags.push({ responseId, reason: 'speeder', detail: { duration: Math.round(duration), threshold } });

  const lined = straightLinedMatrices(survey, shown.answers);
  if (lined.length > 0) flags.push({ responseId, reason: 'straight_lining', detail: { questions: lined } });

  const prefix = online ? networkPrefix(completion.clientAddress) : undefined;
  const keys = prefix ? await liveKeys(db, now) : [];
  const hashes = prefix ? keys.map((key) => networkHash(key.key, prefix)) : [];
  const answersHash = answerVectorHash(completion.rows);
  await qualityRepository.insertAssessment(db, {
    response_id: responseId,
    survey_slug: survey.slug,
    submitted_at: now.toISOString(),
    duration_seconds: duration,
    expected_seconds: threshold,
    answers_hash: answersHash,
    network_hash: hashes[0] ?? null,
    network_day: hashes[0] ? keys[0]!.day : null,
  });

  if (answersHash) {
    const since = new Date(now.getTime() - DUPLICATE_WINDOW_HOURS * 60 * MINUTE_MS).toISOString();
    const other = await qualityRepository.findSameAnswers(db, survey.slug, answersHash, since, responseId);
    if (other !== undefined) {
      flags.push({ responseId, reason: 'duplicate_answers', detail: { other } });
      flags.push({ responseId: other, reason: 'duplicate_answers', detail: { other: responseId } });
    }
  }
  if (hashes.length > 0) {
    // Yesterday's key too: a burst across midnight is still one burst.
    const since = new Date(now.getTime() - BURST_WINDOW_MINUTES * MINUTE_MS).toISOString();
    const count = await qualityRepository.countFromNetwork(db, survey.slug, hashes, since);
    if (count >= BURST_MIN_COMPLETIONS) {
      // The first ones of a burst only look like one once the rest have come. Those flagged
      // already keep their flag (and its count): only the others are looked up and flagged.
      const unflagged = await qualityRepository.unflaggedFromNetwork(db, survey.slug, hashes, since, 'burst');
      for (const id of unflagged) flags.push({ responseId: id, reason: 'burst', detail: { count, minutes: BURST_WINDOW_MINUTES } });
    }
  }
  await qualityRepository.addFlags(db, flags, now);
  return flags.filter((flag) => flag.responseId === responseId).map((flag) => flag.reason);
}

/**
 * Runs the checks on responses already stored (demo data, responses from before the checks),
 * through the same function as a live completion, in submission order. Returns the flags each got.
 */
export async function assessStored(db: Db, survey: Survey, responseIds: number[]): Promise<void> {
  const questions = allQuestions(survey);
  await db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('responses')
      .select(['id', 'channel', 'started_at', 'submitted_at'])
      .where('id', 'in', responseIds)
      .where('status', '=', 'complete')
      .orderBy('submitted_at')
      .orderBy('id')
      .execute();
    for (const row of rows) {
      const answers = await responseRepository.answersOf(trx, row.id);
      await assessCompletion(trx, {
        survey,
        responseId: row.id,
        channel: row.channel,
        startedAt: row.started_at,
        now: new Date(row.submitted_at!),
        fields: answersToFields(questions, answers),
        rows: answers,
      });
    }
  });
}

export type ReviewOutcome = { kind: 'done'; changed: number; skipped: number };

/**
 * The planner's decision on flagged responses, one or many: `exclude` goes through the one
 * exclusion path (audit 'response.excluded', the tallies follow); `keep` records that the flags
 * were looked at (audit 'response.kept'). Either way the response leaves the review queue.
 * Responses without a flag, or already excluded, are skipped.
 */
export async function review(
  db: Db,
  survey: Survey,
  ids: number[],
  decision: { kind: 'exclude'; reason: ExclusionReason; note: string | null } | { kind: 'keep' },
  actor: Actor,
  now: Date,
): Promise<ReviewOutcome> {
  let changed = 0;
  let skipped = 0;
  for (const id of [...new Set(ids)]) {
    const quality = await qualityRepository.reviewOf(db, id);
    const response = await responseRepository.findResponse(db, survey.slug, id);
    if (!quality || quality.flags.length === 0 || !response || response.status !== 'complete' || response.excludedAt !== null) {
      skipped++;
      continue;
    }
    if (decision.kind === 'exclude') {
      const outcome = await setExcluded(db, survey.slug, id, { reason: decision.reason, note: decision.note }, actor, now, async (trx) => {
        await qualityRepository.recordReview(trx, id, 'excluded', actor.userId, now);
      });
      if (outcome.kind === 'changed') changed++;
      else skipped++;
      continue;
    }
    await db.transaction().execute(async (trx) => {
      await qualityRepository.recordReview(trx, id, 'kept', actor.userId, now);
      await audit.record(trx, { action: 'response.kept', ...audit.by(actor), target: `${survey.slug}#${id}`, details: { flags: quality.flags } }, now);
    });
    changed++;
  }
  return { kind: 'done', changed, skipped };
}
