// What planners do to surveys: open, close and reschedule them, upload new definitions, and
// exclude responses. Each change is one transaction with its audit entry; the in-memory registry
// follows once the transaction has committed.
import * as audit from '../platform/audit/audit.repository';
import type { Actor } from '../platform/audit/audit.repository';
import type { Db, Executor } from '../platform/db/connection';
import { findUnreadableProblems } from './definition-guard';
import { ruleProblem, type DefinitionProblem } from './definition-problems';
import * as responseRepository from './response.repository';
import { SUPERSEDED, type ExclusionReason } from './response.table';
import { DefinitionError, parseSurveyText } from './survey-catalog';
import * as surveyDefinitionRepository from './survey-definition.repository';
import type { SurveySchedule } from './survey-flow';
import * as surveyManagementRepository from './survey-management.repository';
import type { Survey } from './survey-definition';
import type { SurveyRegistry } from './survey-registry';
import { fromXlsForm, readXlsForm, type SheetRows, type SurveyMeta, type XlsFormProblem } from './xlsform';

type Schedule = Required<SurveySchedule>;

/** Slugs that would collide with back-office addresses (/admin/surveys/upload, /admin/surveys/new). */
export const RESERVED_SLUGS = ['upload', 'new'];

export type ScheduleOutcome = { kind: 'saved'; schedule: Schedule } | { kind: 'closes_before_opens' };

async function saveSchedule(
  db: Db,
  registry: SurveyRegistry,
  slug: string,
  schedule: Schedule,
  action: 'survey.opened' | 'survey.closed' | 'survey.dates_changed',
  actor: Actor,
  now: Date,
): Promise<ScheduleOutcome> {
  if (Date.parse(schedule.closesAt) <= Date.parse(schedule.opensAt)) return { kind: 'closes_before_opens' };
  await db.transaction().execute(async (trx) => {
    await surveyManagementRepository.saveSchedule(trx, slug, schedule, actor.userId, now);
    await audit.record(trx, { action, ...audit.by(actor), target: slug, details: { ...schedule } }, now);
  });
  registry.applySchedule(slug, schedule);
  return { kind: 'saved', schedule };
}

/** Publishes the survey and opens it now, until closesAt. */
export function openNow(db: Db, registry: SurveyRegistry, slug: string, closesAt: string, actor: Actor, now: Date): Promise<ScheduleOutcome> {
  return saveSchedule(db, registry, slug, { published: true, opensAt: now.toISOString(), closesAt }, 'survey.opened', actor, now);
}

/** Closes the survey now; a survey that had not opened yet gets an empty period ending now. */
export function closeNow(db: Db, registry: SurveyRegistry, slug: string, actor: Actor, now: Date): Promise<ScheduleOutcome> {
  const current = registry.schedule(slug);
  const opensAt = Date.parse(current.opensAt) < now.getTime() ? current.opensAt : new Date(now.getTime() - 1000).toISOString();
  return saveSchedule(db, registry, slug, { published: current.published, opensAt, closesAt: now.toISOString() }, 'survey.closed', actor, now);
}

export function changeSchedule(db: Db, registry: SurveyRegistry, slug: string, schedule: Schedule, actor: Actor, now: Date): Promise<ScheduleOutcome> {
  return saveSchedule(db, registry, slug, schedule, 'survey.dates_changed', actor, now);
}

export type UploadOutcome =
  | { kind: 'saved'; slug: string; replaced: boolean }
  | { kind: 'invalid'; problems: DefinitionProblem[] };

type Checked = { kind: 'valid'; survey: Survey; existing: boolean } | { kind: 'invalid'; problems: DefinitionProblem[] };

/** Every check of an upload, without saving: the definition, its slug, and the answers stored under it. */
async function checkUpload(db: Db, registry: SurveyRegistry, upload: { fileName: string; text: string }): Promise<Checked> {
  let survey;
  try {
    survey = parseSurveyText(upload.text, upload.fileName, registry.municipality);
  } catch (error) {
    if (error instanceof DefinitionError) return { kind: 'invalid', problems: error.problems };
    throw error;
  }
  if (RESERVED_SLUGS.includes(survey.slug)) {
    return { kind: 'invalid', problems: [{ file: upload.fileName, ...ruleProblem('$.slug', 'slug_reserved', { slug: survey.slug }) }] };
  }
  const existing = registry.find(survey.slug);
  if (existing && registry.source(survey.slug) === 'file') {
    return { kind: 'invalid', problems: [{ file: upload.fileName, ...ruleProblem('$.slug', 'slug_defined_by_file', { slug: survey.slug }) }] };
  }
  const checked = survey;
  const unreadable = await findUnreadableProblems(db, { find: (slug) => (slug === checked.slug ? checked : registry.find(slug)) });
  if (unreadable.length > 0) return { kind: 'invalid', problems: unreadable.map((problem) => ({ file: upload.fileName, ...problem })) };
  return { kind: 'valid', survey, existing: Boolean(existing) };
}

/**
 * Validates an uploaded definition like a file in surveys/ and stores it; nothing changes unless
 * it is valid. A new upload starts as a draft; a replaced one keeps its schedule, and may not
 * remove ids that stored answers use.
 */
export function uploadDefinition(
  db: Db,
  registry: SurveyRegistry,
  upload: { fileName: string; text: string },
  actor: Actor,
  now: Date,
): Promise<UploadOutcome> {
  return saveDefinitionText(db, registry, upload, actor, now, { action: 'survey.uploaded' });
}

export interface SaveDefinitionOptions {
  action: 'survey.uploaded' | 'survey.published';
  /** Stored with the definition, in the same transaction (the editor publishes with its dates). */
  schedule?: Schedule;
  /** More work in the same transaction (the editor drops its draft). */
  alsoIn?: (trx: Executor, survey: Survey) => Promise<void>;
}

/**
 * The one way a definition becomes what the site serves, shared by the JSON and XLSForm uploads
 * and the editor's publish: the same validation, guard, storage and audit entry.
 */
export async function saveDefinitionText(
  db: Db,
  registry: SurveyRegistry,
  upload: { fileName: string; text: string },
  actor: Actor,
  now: Date,
  options: SaveDefinitionOptions,
): Promise<UploadOutcome> {
  const checked = await checkUpload(db, registry, upload);
  if (checked.kind === 'invalid') return checked;
  const { survey, existing } = checked;
  const { schedule } = options;
  await db.transaction().execute(async (trx) => {
    await surveyManagementRepository.saveUpload(trx, survey.slug, upload.text, actor.userId, now);
    await surveyDefinitionRepository.saveDefinition(trx, survey, now);
    if (schedule) await surveyManagementRepository.saveSchedule(trx, survey.slug, schedule, actor.userId, now);
    await options.alsoIn?.(trx, survey);
    await audit.record(trx, { action: options.action, ...audit.by(actor), target: survey.slug, details: { hash: survey.hash, replaced: existing } }, now);
  });
  registry.applyUpload(survey);
  if (schedule) registry.applySchedule(survey.slug, schedule);
  return { kind: 'saved', slug: survey.slug, replaced: existing };
}

export type XlsFormUploadOutcome =
  | UploadOutcome
  /** Rows that cannot be expressed, by sheet and row (and the approximations found on the way). */
  | { kind: 'refused'; problems: XlsFormProblem[]; approximations: XlsFormProblem[] }
  /** A valid definition that approximates some rows: nothing is saved until the planner confirms. */
  | { kind: 'needs_confirmation'; slug: string; definition: string; approximations: XlsFormProblem[] };

/**
 * An XLSForm workbook uploaded in place of JSON: converted to a definition and then saved exactly
 * like a JSON upload. What the workbook's paydas column does not give (a sheet written by hand) is
 * taken from the survey it replaces (audience, dates, intro) or, for a new one, a citizen survey
 * whose intro is its title and whose dates the planner sets when opening it (uploads are drafts).
 * When rows were approximated, the definition is returned for confirmation instead of saved.
 */
export async function uploadXlsForm(
  db: Db,
  registry: SurveyRegistry,
  upload: { fileName: string; content: Buffer },
  actor: Actor,
  now: Date,
): Promise<XlsFormUploadOutcome> {
  let sheets: Record<string, SheetRows>;
  try {
    sheets = await readXlsForm(upload.content);
  } catch {
    return { kind: 'refused', problems: [{ sheet: '', row: 0, key: 'admin:xlsform.unreadable' }], approximations: [] };
  }
  const settings = sheets.settings ?? [];
  const formId = settings[1]?.[(settings[0] ?? []).findIndex((header) => header.trim().toLowerCase() === 'form_id')]?.trim() ?? '';
  const existing = /^[a-z0-9_]+$/.test(formId) ? registry.find(formId.replace(/_/g, '-')) : undefined;
  const meta: SurveyMeta = existing
    ? { audience: existing.audience, opensAt: existing.opensAt, closesAt: existing.closesAt, intro: existing.intro }
    : { audience: 'citizen', opensAt: now.toISOString(), closesAt: new Date(now.getTime() + 30 * 86_400_000).toISOString() };
  const result = fromXlsForm(sheets, { ...meta, defaultSlug: slugOfFileName(upload.fileName) });
  if ('problems' in result) return { kind: 'refused', problems: result.problems, approximations: result.approximations };
  const definition = { fileName: upload.fileName, text: JSON.stringify(result.survey, null, 2) };
  if (result.approximations.length === 0) return uploadDefinition(db, registry, definition, actor, now);
  // Checked now so that the planner is not asked to confirm what would then be refused.
  const checked = await checkUpload(db, registry, definition);
  if (checked.kind === 'invalid') return checked;
  return { kind: 'needs_confirmation', slug: checked.survey.slug, definition: definition.text, approximations: result.approximations };
}

/** "Mahalle Anketi (2).xlsx" → "mahalle-anketi-2", as KoboToolbox names a form without form_id. */
function slugOfFileName(fileName: string): string {
  const turkish: Record<string, string> = { ç: 'c', ğ: 'g', ı: 'i', ö: 'o', ş: 's', ü: 'u' };
  return fileName
    .replace(/\.xlsx$/i, '')
    .toLocaleLowerCase('tr')
    .replace(/[çğıöşü]/g, (c) => turkish[c]!)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export type ExclusionOutcome = { kind: 'changed' } | { kind: 'unchanged' } | { kind: 'not_found' } | { kind: 'not_complete' } | { kind: 'superseded' };

/** Excludes a complete response from results and exports (it stays stored), or restores it. */
export async function setExcluded(
  db: Db,
  surveySlug: string,
  responseId: number,
  exclusion: { reason: ExclusionReason; note: string | null } | null,
  actor: Actor,
  now: Date,
  /** More work in the same transaction (the quality review records its decision). */
  alsoIn?: (trx: Executor) => Promise<void>,
): Promise<ExclusionOutcome> {
  return db.transaction().execute(async (trx): Promise<ExclusionOutcome> => {
    const response = await responseRepository.findResponse(trx, surveySlug, responseId);
    if (!response) return { kind: 'not_found' };
    if (response.status !== 'complete') return { kind: 'not_complete' };
    // An institution's replaced answers: restoring them would count the institution twice.
    if (response.exclusionReason === SUPERSEDED) return { kind: 'superseded' };
    if ((response.excludedAt !== null) === (exclusion !== null)) return { kind: 'unchanged' };
    await responseRepository.setExclusion(trx, responseId, exclusion && { at: now.toISOString(), by: actor.userId, ...exclusion });
    await audit.record(
      trx,
      {
        action: exclusion ? 'response.excluded' : 'response.restored',
        ...audit.by(actor),
        target: `${surveySlug}#${responseId}`,
        ...(exclusion ? { details: { reason: exclusion.reason, note: exclusion.note } } : {}),
      },
      now,
    );
    await alsoIn?.(trx);
    return { kind: 'changed' };
  });
}
