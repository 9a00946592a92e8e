// The surveys the site serves: those in surveys/ plus those uploaded in the back office, each with
// its effective schedule. The database is the record; this process keeps a copy in memory and
// updates it together with the database.
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

export class SurveyRegistry implements SurveyCatalog {
  readonly municipality: Municipality;
  private readonly files: Survey[];
  private uploads: Survey[] = [];
  private readonly schedules = new Map<string, Required<SurveySchedule>>();

  private constructor(loaded: LoadedSurveys) {
    this.municipality = loaded.municipality;
    this.files = loaded.surveys;
  }

  /** The file surveys plus the uploads and schedules stored in the database. */
  static async open(db: Db, loaded: LoadedSurveys): Promise<SurveyRegistry> {
    const registry = new SurveyRegistry(loaded);
    const problems: DefinitionError['problems'] = [];
    for (const upload of await surveyManagementRepository.listUploads(db)) {
      if (registry.files.some((survey) => survey.slug === upload.slug)) {
        problems.push({ file: `${upload.slug}.json`, ...ruleProblem('$.slug', 'slug_file_and_upload') });
        continue;
      }
      try {
        registry.uploads.push(parseSurveyText(upload.definition, `uploaded ${upload.slug}`, loaded.municipality));
      } catch (error) {
        if (!(error instanceof DefinitionError)) throw error;
        problems.push(...error.problems);
      }
    }
    if (problems.length > 0) throw new DefinitionError(problems);
    for (const schedule of await surveyManagementRepository.listSchedules(db)) registry.schedules.set(schedule.slug, schedule);
    return registry;
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
