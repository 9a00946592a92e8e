// The survey editor's use cases: start a draft (from scratch, a copy or a bundled template), change
// it, publish or discard it. A draft is kept valid at every save, checked with the same schema and
// rules as the files, and may never strand stored answers. Every step has its audit entry.
import fs from 'node:fs';
import path from 'node:path';
import type { TFunction } from 'i18next';
import * as audit from '../../platform/audit/audit.repository';
import type { Actor } from '../../platform/audit/audit.repository';
import type { Db } from '../../platform/db/connection';
import { projectRoot } from '../../platform/paths';
import type { LocalizedText } from '../../platform/schema';
import { removedUsages, usageText } from '../definition-guard';
import { problemText, schemaProblems, type Problem, type ProblemText } from '../definition-problems';
import * as responseRepository from '../response.repository';
import { RESERVED_SLUGS, saveDefinitionText, type UploadOutcome } from '../survey-admin.service';
import { resolveSurvey } from '../survey-catalog';
import { SurveyFile, type Survey } from '../survey-definition';
import * as surveyDefinitionRepository from '../survey-definition.repository';
import type { SurveyRegistry } from '../survey-registry';
import * as draftRepository from './survey-draft.repository';

/** The bundled surveys a new one may start from. */
export const TEMPLATES = ['vatandas-anketi', 'kurum-gorus-formu'] as const;
export type TemplateName = (typeof TEMPLATES)[number];
const TEMPLATE_DIR = path.join(projectRoot, 'surveys');
const DEFAULT_PERIOD_DAYS = 30;

/** A problem with the whole draft: where (path from the definition's root) and what, as a locale key. */
export interface DraftProblem extends ProblemText {
  path: (string | number)[];
  /** In English, as the files' checks say it. */
  message: string;
}

export type Validation = { ok: true; file: SurveyFile; survey: Survey } | { ok: false; problems: DraftProblem[] };

/** Turns a JSON path of the rules ($.sections[0].questions[1].id) back into its parts. */
export function pathParts(jsonPath: string): (string | number)[] {
  return [...jsonPath.replace(/^\$/, '').matchAll(/\.([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
}

/** The same checks as a survey file: the zod schema, then the rules a schema cannot express. */
export function validateDraft(candidate: unknown, registry: Pick<SurveyRegistry, 'municipality'>): Validation {
  const invalid = (problems: Problem[]): Validation => ({ ok: false, problems: problems.map((p) => ({ ...p, path: pathParts(p.path) })) });
  const parsed = SurveyFile.safeParse(candidate);
  if (!parsed.success) return invalid(schemaProblems(parsed.error.issues, candidate));
  const resolved = resolveSurvey(parsed.data, registry.municipality);
  if ('problems' in resolved) return invalid(resolved.problems);
  return { ok: true, file: parsed.data, survey: resolved.survey };
}

/** The draft as stored and downloaded: exactly the text the JSON upload takes back. */
export const draftText = (file: SurveyFile): string => `${JSON.stringify(file, null, 2)}\n`;

export interface Draft {
  file: SurveyFile;
  text: string;
  updatedAt: string;
  updatedBy: number | null;
}

export async function findDraft(db: Db, slug: string): Promise<Draft | undefined> {
  const stored = await draftRepository.findDraft(db, slug);
  if (!stored) return undefined;
  return { file: SurveyFile.parse(JSON.parse(stored.definition)), text: stored.definition, updatedAt: stored.updatedAt, updatedBy: stored.updatedBy };
}

/** Why a change would make stored answers unreadable, in the planner's language; empty when none. */
export async function lockedReasons(db: Db, slug: string, survey: Survey, t: TFunction): Promise<string[]> {
  const reasons: string[] = [];
  for (const stored of await surveyDefinitionRepository.definitionsInUse(db)) {
    if (stored.slug !== slug || stored.hash === survey.hash) continue;
    for (const usage of removedUsages(JSON.parse(stored.definition) as Survey, survey)) {
      const count = await responseRepository.countAnswersUsing(db, slug, usage);
      if (count > 0) reasons.push(t('admin:editor.messages.locked', { what: problemText(usageText(usage), t), count }));
    }
  }
  return [...new Set(reasons)];
}


/** Question ids that have stored answers: their id and option ids can no longer change. */
export async function answeredQuestionIds(db: Db, slug: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const stored of await surveyDefinitionRepository.definitionsInUse(db)) {
    if (stored.slug !== slug) continue;
    const older = JSON.parse(stored.definition) as Survey;
    for (const section of older.sections) {
      for (const question of section.questions) {
        if (!ids.has(question.id) && (await responseRepository.countAnswersUsing(db, slug, { questionId: question.id })) > 0) ids.add(question.id);
      }
    }
  }
  return ids;
}

export type CreateSource = { kind: 'scratch' } | { kind: 'copy'; slug: string } | { kind: 'template'; name: TemplateName };
export type CreateOutcome = { kind: 'created'; slug: string } | { kind: 'invalid'; errors: Record<string, string> };

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function skeleton(slug: string, title: LocalizedText, now: Date): SurveyFile {
  return {
    slug,
    title,
    intro: { tr: 'Görüşleriniz için teşekkür ederiz.', en: 'Thank you for your views.' },
    audience: 'citizen',
    ...freshPeriod(now),
    anonymous: true,
    oneResponsePerBrowser: true,
    sections: [{ id: 'bolum_1', title: { tr: 'Bölüm 1', en: 'Section 1' }, questions: [{ kind: 'short_text', id: 'soru_1', text: { tr: 'Soru 1', en: 'Question 1' }, required: false, maxLength: 200 }] }],
  };
}

function freshPeriod(now: Date): { opensAt: string; closesAt: string } {
  return { opensAt: now.toISOString(), closesAt: new Date(now.getTime() + DEFAULT_PERIOD_DAYS * 86_400_000).toISOString() };
}

/** The definition of a survey the site serves, as a file: an upload's own text, else the resolved survey. */
async function fileOfSurvey(db: Db, registry: SurveyRegistry, slug: string): Promise<SurveyFile | undefined> {
  const uploaded = await draftRepository.findUploadText(db, slug);
  if (uploaded) return SurveyFile.parse(JSON.parse(uploaded.replace(/^\uFEFF/, '')));
  const survey = registry.find(slug);
  if (!survey) return undefined;
  const { hash: _hash, ...file } = survey;
  return SurveyFile.parse(file);
}

function templateFile(name: TemplateName): SurveyFile {
  return SurveyFile.parse(JSON.parse(fs.readFileSync(path.join(TEMPLATE_DIR, `${name}.json`), 'utf8')));
}

/** A new survey's draft; the slug must be free among surveys and drafts. */
export async function createDraft(
  db: Db,
  registry: SurveyRegistry,
  request: { slug: string; title: LocalizedText; source: CreateSource },
  actor: Actor,
  now: Date,
): Promise<CreateOutcome> {
  const { slug, title, source } = request;
  if (!SLUG.test(slug)) return { kind: 'invalid', errors: { slug: 'admin:editor.messages.slug_format' } };
  if (RESERVED_SLUGS.includes(slug)) return { kind: 'invalid', errors: { slug: 'admin:editor.messages.slug_reserved' } };
  if (registry.find(slug) || (await draftRepository.findDraft(db, slug))) return { kind: 'invalid', errors: { slug: 'admin:editor.messages.slug_taken' } };
  let base: SurveyFile;
  if (source.kind === 'scratch') base = skeleton(slug, title, now);
  else {
    const from = source.kind === 'copy' ? await fileOfSurvey(db, registry, source.slug) : templateFile(source.name);
    if (!from) return { kind: 'invalid', errors: { copy: 'admin:editor.messages.copy_missing' } };
    const { $schema: _schema, ...rest } = from;
    base = { ...rest, slug, title, ...freshPeriod(now) };
  }
  const checked = validateDraft(base, registry);
  if (!checked.ok) throw new Error(`the new draft of ${slug} is not valid: ${JSON.stringify(checked.problems)}`);
  const from = source.kind === 'copy' ? source.slug : source.kind === 'template' ? source.name : null;
  await db.transaction().execute(async (trx) => {
    await draftRepository.saveDraft(trx, slug, draftText(checked.file), actor.userId, now);
    await audit.record(trx, { action: 'survey.draft_created', ...audit.by(actor), target: slug, details: { source: source.kind, from } }, now);
  });
  return { kind: 'created', slug };
}

/** A draft of a published upload, starting from what respondents see, with the dates in force. */
export async function startEditing(db: Db, registry: SurveyRegistry, slug: string, actor: Actor, now: Date): Promise<'started' | 'exists' | 'not_editable'> {
  if (await draftRepository.findDraft(db, slug)) return 'exists';
  if (!registry.find(slug) || registry.source(slug) !== 'upload') return 'not_editable';
  const file = await fileOfSurvey(db, registry, slug);
  const schedule = registry.schedule(slug);
  const checked = validateDraft({ ...file, opensAt: schedule.opensAt, closesAt: schedule.closesAt }, registry);
  if (!checked.ok) throw new Error(`the published definition of ${slug} is not valid`);
  await db.transaction().execute(async (trx) => {
    await draftRepository.saveDraft(trx, slug, draftText(checked.file), actor.userId, now);
    await audit.record(trx, { action: 'survey.draft_created', ...audit.by(actor), target: slug, details: { source: 'published', from: slug } }, now);
  });
  return 'started';
}

export type SaveOutcome =
  | { kind: 'saved'; file: SurveyFile; survey: Survey }
  | { kind: 'invalid'; problems: DraftProblem[] }
  | { kind: 'locked'; reasons: string[] };

/**
 * Replaces the draft with a changed one, only if the whole of it is valid and keeps every stored
 * answer readable. `change` names the step for the audit log.
 */
export async function saveDraft(
  db: Db,
  registry: SurveyRegistry,
  slug: string,
  candidate: SurveyFile,
  change: { step: string; target?: string },
  actor: Actor,
  now: Date,
  t: TFunction,
): Promise<SaveOutcome> {
  const checked = validateDraft({ ...candidate, slug }, registry);
  if (!checked.ok) return { kind: 'invalid', problems: checked.problems };
  const reasons = await lockedReasons(db, slug, checked.survey, t);
  if (reasons.length > 0) return { kind: 'locked', reasons };
  await db.transaction().execute(async (trx) => {
    await draftRepository.saveDraft(trx, slug, draftText(checked.file), actor.userId, now);
    await audit.record(trx, { action: 'survey.draft_changed', ...audit.by(actor), target: slug, details: { ...change, hash: checked.survey.hash } }, now);
  });
  return { kind: 'saved', file: checked.file, survey: checked.survey };
}

/**
 * Publishes the draft through the same save as a JSON upload, opens it for its dates and drops
 * the draft, in one transaction.
 */
export async function publishDraft(db: Db, registry: SurveyRegistry, slug: string, actor: Actor, now: Date): Promise<UploadOutcome | { kind: 'no_draft' }> {
  const draft = await findDraft(db, slug);
  if (!draft) return { kind: 'no_draft' };
  return saveDefinitionText(db, registry, { fileName: `${slug}.json`, text: draft.text }, actor, now, {
    action: 'survey.published',
    schedule: { published: true, opensAt: draft.file.opensAt, closesAt: draft.file.closesAt },
    alsoIn: async (trx) => {
      await draftRepository.deleteDraft(trx, slug);
    },
  });
}

export async function discardDraft(db: Db, slug: string, actor: Actor, now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (!(await draftRepository.deleteDraft(trx, slug))) return false;
    await audit.record(trx, { action: 'survey.draft_discarded', ...audit.by(actor), target: slug }, now);
    return true;
  });
}
