// The surveys the site serves: those in surveys/ plus those uploaded in the back office, each with
// its effective schedule. The database is the record; this process keeps a copy in memory and
// updates it together with the database. Other processes on the same database (WEB_CONCURRENCY,
// the CLI) change it too: refresh() reloads the copy when the stored version token has changed,
// looking at most once per REFRESH_CHECK_MS.
import type { Db } from '../platform/db/connection';
import { AppError } from '../platform/http/app-error';
import type { Municipality } from '../municipality';
import { ruleProblem } from './definition-problems';
import { DefinitionError, parseSurveyText, type LoadedSurveys } from './survey-catalog';
import type { Survey } from './survey-definition';
import type { SurveySchedule } from './survey-flow';
import * as surveyManagementRepository from './survey-management.repository';

export type SurveySource = 'file' | 'upload';

export interface SurveyCatalog {
  municipality: Municipality;
  /** Files first (in file-name order), then uploads. */
  readonly surveys: Survey[];
  find(slug: string): Survey | undefined;
  /** The dates and publication in force: a planner's changes, else the definition's own. */
  schedule(slug: string): Required<SurveySchedule>;
  source(slug: string): SurveySource;
}

/** How often, at most, a process asks the database whether another one changed the surveys. */
export const REFRESH_CHECK_MS = 500;

export class SurveyRegistry implements SurveyCatalog {
  readonly municipality: Municipality;
  private readonly files: Survey[];
  private uploads: Survey[] = [];
  private schedules = new Map<string, Required<SurveySchedule>>();
  /** Where refresh() looks; none for a registry of files only. */
  private db: Db | undefined;
  /** The version token the copy was loaded at. */
  private version: string | undefined;
  private checkedAt = -Infinity;
  private refreshing: Promise<void> | undefined;

  private constructor(loaded: LoadedSurveys) {
    this.municipality = loaded.municipality;
    this.files = loaded.surveys;
  }

  /** The file surveys plus the uploads and schedules stored in the database. */
  static async open(db: Db, loaded: LoadedSurveys): Promise<SurveyRegistry> {
    const registry = new SurveyRegistry(loaded);
    registry.db = db;
    await registry.load(db);
    return registry;
  }

  /**
   * Reads the uploads and schedules and replaces the copy in one step. The version is read first:
   * a change committed between the two reads leaves an older token with newer data, which only
   * costs one more reload.
   */
  private async load(db: Db): Promise<void> {
    const version = await surveyManagementRepository.findVersion(db);
    const uploads: Survey[] = [];
    const problems: DefinitionError['problems'] = [];
    for (const upload of await surveyManagementRepository.listUploads(db)) {
      if (this.files.some((survey) => survey.slug === upload.slug)) {
        problems.push({ file: `${upload.slug}.json`, ...ruleProblem('$.slug', 'slug_file_and_upload') });
        continue;
      }
      try {
        uploads.push(parseSurveyText(upload.definition, `uploaded ${upload.slug}`, this.municipality));
      } catch (error) {
        if (!(error instanceof DefinitionError)) throw error;
        problems.push(...error.problems);
      }
    }
    if (problems.length > 0) throw new DefinitionError(problems);
    const schedules = new Map<string, Required<SurveySchedule>>();
    for (const schedule of await surveyManagementRepository.listSchedules(db)) schedules.set(schedule.slug, schedule);
    this.uploads = uploads;
    this.schedules = schedules;
    this.version = version;
  }

  /**
   * Reloads the copy when another process changed the stored surveys since it was loaded. Asks the
   * database at most once per `checkEveryMs` (one indexed read of the settings table); concurrent
   * callers share one check. A reload that fails keeps the copy in force (and rejects).
   */
  refresh(checkEveryMs = REFRESH_CHECK_MS): Promise<void> {
    const db = this.db;
    if (!db) return Promise.resolve();
    if (this.refreshing) return this.refreshing;
    const at = performance.now();
    if (at - this.checkedAt < checkEveryMs) return Promise.resolve();
    this.checkedAt = at;
    this.refreshing = (async () => {
      try {
        if ((await surveyManagementRepository.findVersion(db)) !== this.version) await this.load(db);
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  /** A registry of file surveys only, with no stored state (used before the database is ready). */
  static ofFiles(loaded: LoadedSurveys): SurveyRegistry {
    return new SurveyRegistry(loaded);
  }

  get surveys(): Survey[] {
    return [...this.files, ...this.uploads];
  }

  find(slug: string): Survey | undefined {
    return this.files.find((survey) => survey.slug === slug) ?? this.uploads.find((survey) => survey.slug === slug);
  }

  source(slug: string): SurveySource {
    return this.files.some((survey) => survey.slug === slug) ? 'file' : 'upload';
  }

  schedule(slug: string): Required<SurveySchedule> {
    const stored = this.schedules.get(slug);
    if (stored) return stored;
    const survey = this.find(slug);
    // File surveys are published as written; uploads wait for a planner to open them.
    return { published: survey ? this.source(slug) === 'file' : false, opensAt: survey?.opensAt ?? '', closesAt: survey?.closesAt ?? '' };
  }

  /** Call after the change is committed to the database. */
  applySchedule(slug: string, schedule: Required<SurveySchedule>): void {
    this.schedules.set(slug, schedule);
  }

  /** Call after the upload is committed to the database. */
  applyUpload(survey: Survey): void {
    this.uploads = [...this.uploads.filter((existing) => existing.slug !== survey.slug), survey];
  }
}

/** The survey of a back-office address, or a 404 page; drafts included. */
export function surveyOr404(catalog: Pick<SurveyCatalog, 'find'>, slug: unknown): Survey {
  const survey = catalog.find(String(slug));
  if (!survey) throw new AppError(404, 'errors:survey_not_found');
  return survey;
}
