// All SQL about uploaded survey definitions and the schedules planners set.
import crypto from 'node:crypto';
import type { Executor } from '../platform/db/connection';
import * as settingsRepository from '../platform/db/settings.repository';
import type { SurveySchedule } from './survey-flow';

export interface StoredSchedule extends Required<SurveySchedule> {
  slug: string;
}

/**
 * A token that changes, in the same transaction, with every upload and schedule change: other
 * processes compare it with the one they loaded to see that their copy is out of date. Random
 * rather than a count or a time, so that it needs no arithmetic on the value and two changes in
 * one millisecond (or under a test's fixed clock) still differ.
 */
const VERSION_KEY = 'surveys_version';

export async function findVersion(db: Executor): Promise<string | undefined> {
  return settingsRepository.find(db, VERSION_KEY);
}

async function bumpVersion(db: Executor, now: Date): Promise<void> {
  await settingsRepository.upsert(db, VERSION_KEY, crypto.randomBytes(12).toString('hex'), now);
}

export async function listSchedules(db: Executor): Promise<StoredSchedule[]> {
  const rows = await db.selectFrom('survey_schedules').selectAll().execute();
  return rows.map((row) => ({ slug: row.slug, published: row.published === 1, opensAt: row.opens_at, closesAt: row.closes_at }));
}

export async function saveSchedule(db: Executor, slug: string, schedule: Required<SurveySchedule>, userId: number | null, now: Date): Promise<void> {
  const values = {
    published: schedule.published ? 1 : 0,
    opens_at: schedule.opensAt,
    closes_at: schedule.closesAt,
    updated_at: now.toISOString(),
    updated_by: userId,
  };
  await db
    .insertInto('survey_schedules')
    .values({ slug, ...values })
    .onConflict((oc) => oc.column('slug').doUpdateSet(values))
    .execute();
  await bumpVersion(db, now);
}

export async function listUploads(db: Executor): Promise<{ slug: string; definition: string }[]> {
  return db.selectFrom('uploaded_surveys').select(['slug', 'definition']).orderBy('slug').execute();
}

export async function saveUpload(db: Executor, slug: string, definition: string, userId: number | null, now: Date): Promise<void> {
  const values = { definition, uploaded_at: now.toISOString(), uploaded_by: userId };
  await db
    .insertInto('uploaded_surveys')
    .values({ slug, ...values })
    .onConflict((oc) => oc.column('slug').doUpdateSet(values))
    .execute();
  await bumpVersion(db, now);
}
