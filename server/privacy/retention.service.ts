// KVKK retention (docs/domain.md §6.6): a planner records the plan's adoption date; a stored job falls due
// at that date plus the retention period and anonymises the personal data of meeting sign-ups,
// invitations, self-registrations and the mail sent to them. A planner may also run it by hand
// once the date has passed. Each run is logged and audited; a second run finds nothing to do.
import type { Actor } from '../platform/audit/audit.repository';
import { by, record } from '../platform/audit/audit.repository';
import type { Db, Executor } from '../platform/db/connection';
import * as jobs from '../platform/jobs/jobs';
import { todayIn } from '../platform/time';
import * as retentionRepository from './retention.repository';
import type { Counts } from './retention.repository';
import { adoptionDateError, retentionPlan, retentionState, type RetentionPlan, type RetentionState } from './retention-rules';

export const RETENTION_JOB = 'privacy.retention';
/** There is one plan, so one job. */
const JOB_REF = 'plan';

export interface RetentionContext {
  /** municipality.json privacy.retentionMonths */
  retentionMonths: number;
  timeZone: string;
}

export async function currentState(db: Executor, ctx: RetentionContext, now: Date): Promise<RetentionState> {
  return retentionState(await retentionRepository.findAdoptionDate(db), ctx.retentionMonths, ctx.timeZone, now);
}

export type AdoptionOutcome = { kind: 'saved'; plan: RetentionPlan } | { kind: 'invalid'; error: string };

/** Records the adoption date and moves the retention job to the date it gives (again, if it ran before). */
export async function setAdoptionDate(db: Db, ctx: RetentionContext, date: string, actor: Actor, now: Date): Promise<AdoptionOutcome> {
  const error = adoptionDateError(date, todayIn(ctx.timeZone, now));
  if (error) return { kind: 'invalid', error };
  const plan = retentionPlan(date, ctx.retentionMonths, ctx.timeZone);
  await db.transaction().execute(async (trx) => {
    const previous = await retentionRepository.findAdoptionDate(trx);
    await retentionRepository.saveAdoptionDate(trx, date, now);
    await jobs.schedule(trx, { kind: RETENTION_JOB, ref: JOB_REF, dueAt: new Date(plan.cutoffAt), again: true }, now);
    await record(
      trx,
      { action: 'privacy.adoption_date_set', ...by(actor), target: 'retention', details: { adoptedOn: date, previous: previous ?? null, retentionOn: plan.retentionOn, months: plan.months } },
      now,
    );
  });
  return { kind: 'saved', plan };
}

/**
 * At start-up: the retention period comes from municipality.json and may have changed since the
 * job was scheduled, so a job not yet done is moved to the date it gives now.
 */
export async function syncSchedule(db: Db, ctx: RetentionContext, now: Date): Promise<void> {
  const adoptedOn = await retentionRepository.findAdoptionDate(db);
  if (!adoptedOn) return;
  const plan = retentionPlan(adoptedOn, ctx.retentionMonths, ctx.timeZone);
  await jobs.schedule(db, { kind: RETENTION_JOB, ref: JOB_REF, dueAt: new Date(plan.cutoffAt) }, now);
}

export type RunTrigger = { kind: 'job' } | { kind: 'admin'; actor: Actor };
export type RunOutcome = { kind: 'ran'; runId: number; counts: Counts; plan: RetentionPlan } | { kind: 'not_due' };

/** One run, in the caller's transaction: anonymises what was created before the date, logs and audits it. */
export async function runRetention(trx: Executor, ctx: RetentionContext, trigger: RunTrigger, now: Date): Promise<RunOutcome> {
  const state = await currentState(trx, ctx, now);
  if (state.kind !== 'due') return { kind: 'not_due' };
  const { plan } = state;
  const runId = await retentionRepository.insertRun(
    trx,
    { trigger: trigger.kind, userId: trigger.kind === 'admin' ? trigger.actor.userId : null, adoptedOn: plan.adoptedOn, cutoffAt: plan.cutoffAt },
    now,
  );
  const before = { before: plan.cutoffAt };
  const counts = await retentionRepository.anonymise(trx, { registrations: before, invitations: before, selfRegistrations: before }, { runId }, now);
  await retentionRepository.saveRunCounts(trx, runId, counts);
  await record(
    trx,
    {
      action: 'privacy.retention_run',
      ...(trigger.kind === 'admin' ? by(trigger.actor) : { actor: 'system' }),
      target: `retention_run:${runId}`,
      details: { trigger: trigger.kind, adoptedOn: plan.adoptedOn, cutoffAt: plan.cutoffAt, ...counts },
    },
    now,
  );
  return { kind: 'ran', runId, counts, plan };
}

/** "Anonymise now" from the back office: refused (not_due) before the date. */
export async function runNow(db: Db, ctx: RetentionContext, actor: Actor, now: Date): Promise<RunOutcome> {
  return db.transaction().execute((trx) => runRetention(trx, ctx, { kind: 'admin', actor }, now));
}

export async function scheduledJob(db: Executor) {
  return jobs.find(db, RETENTION_JOB, JOB_REF);
}

/** The handlers the job runner gets (main.ts), beside the meetings' reminders. */
export function jobHandlers(ctx: RetentionContext): Record<string, jobs.JobHandler> {
  return {
    [RETENTION_JOB]: async (trx, _ref, now) => {
      await runRetention(trx, ctx, { kind: 'job' }, now);
    },
  };
}
