// Everything the report is built from, read in one place. What follows (report-builder.ts) is pure.
import type { Municipality } from '../../municipality';
import { loadOutcomes, type MeetingOutcomes } from '../../meetings';
import { invitationRepository } from '../../opinions';
import { groupRecords, institutionRecords, type GroupRecord, type InstitutionRecord } from '../../opinions/consultation-record';
import type { Db } from '../../platform/db/connection';
import { STAKEHOLDER_GROUPS, stakeholderRepository, stakeholderService, type Stakeholder } from '../../stakeholders';
import { allQuestions, type AnswerRow, type Survey, type SurveyCatalog } from '../../surveys';
import { codingRepository, segmentRepository, type Coverage, type Segment, type Theme } from '../coding';
import { surveyResults, type SurveyResults } from '../results.service';
import * as activityRepository from './activity.repository';
import type { ConsultationActivity } from './activity.repository';
import * as findingRepository from './finding.repository';
import type { Finding } from './finding.repository';
import * as reportRepository from './report.repository';
import type { SurveyCounts } from './report.repository';
import type { ReportSettings } from './report-settings';
import type { SwotItemRecord, SwotReview } from './swot-candidates';
import * as swotRepository from './swot.repository';

export interface SurveyFacts {
  survey: Survey;
  opensAt: string;
  closesAt: string;
  counts: SurveyCounts;
}

export interface Coding {
  themes: Theme[];
  counts: Map<number, number>;
  progress: { answers: number; coded: number };
  quotes: Map<number, string>;
  /** Coded, uncoded and split answers per open question; the people with a coded answer. */
  coverage: Coverage;
}

export interface InstitutionAnswers {
  survey: Survey;
  records: InstitutionRecord[];
  groups: { groups: GroupRecord[]; total: GroupRecord };
  /** Answers of the responses that count, by response id. */
  answers: Map<number, (AnswerRow & { id: number })[]>;
  /** Theme ids per answer id. */
  codes: Map<number, number[]>;
  /** The parts of answers coded part by part, by answer id. */
  segments: Map<number, Segment[]>;
  coding: Coding;
}

export interface ReportData {
  now: Date;
  settings: ReportSettings;
  /** The önem/etki threshold of the stakeholder register. */
  threshold: number;
  municipality: Municipality;
  stakeholders: Stakeholder[];
  activities: ConsultationActivity[];
  surveys: SurveyFacts[];
  citizen: (SurveyResults & { survey: Survey; coding: Coding }) | null;
  institutions: InstitutionAnswers[];
  meetings: MeetingOutcomes;
  findings: Finding[];
  /** The planner's review of the GZFT candidates (T16). */
  swot: { reviews: SwotReview[]; items: SwotItemRecord[] };
}

async function codingOf(db: Db, slug: string): Promise<Coding> {
  const [themes, counts, progress, quotes, coverage] = await Promise.all([
    codingRepository.themes(db, slug),
    codingRepository.themeCounts(db, slug),
    codingRepository.codingProgress(db, slug),
    codingRepository.quotes(db, slug),
    segmentRepository.coverage(db, slug),
  ]);
  return { themes, counts, progress, quotes, coverage };
}

async function institutionAnswers(db: Db, survey: Survey): Promise<InstitutionAnswers> {
  const records = institutionRecords(await invitationRepository.listForSurvey(db, survey.slug), new Map(), STAKEHOLDER_GROUPS);
  const responseIds = records.map((r) => r.responseId).filter((id): id is number => id !== null);
  const questions = allQuestions(survey).filter((q) => q.role !== undefined);
  const rows = await reportRepository.answersOf(db, responseIds, questions.map((q) => q.id));
  const answers = new Map<number, (AnswerRow & { id: number })[]>();
  for (const { response_id, ...row } of rows) answers.set(response_id, [...(answers.get(response_id) ?? []), row]);
  return {
    survey,
    records,
    groups: groupRecords(records, STAKEHOLDER_GROUPS),
    answers,
    codes: await codingRepository.codesOf(db, rows.map((r) => r.id)),
    segments: await segmentRepository.segmentsOfAnswers(db, rows.map((r) => r.id)),
    coding: await codingOf(db, survey.slug),
  };
}

export async function loadReportData(db: Db, catalog: SurveyCatalog, settings: ReportSettings, now: Date): Promise<ReportData> {
  const included = settings.surveys.map((slug) => catalog.find(slug)).filter((s): s is Survey => s !== undefined);
  const surveys = await Promise.all(
    included.map(async (survey): Promise<SurveyFacts> => {
      const schedule = catalog.schedule(survey.slug);
      return { survey, opensAt: schedule.opensAt, closesAt: schedule.closesAt, counts: await reportRepository.surveyCounts(db, survey.slug) };
    }),
  );
  const citizenSurvey = settings.citizenSurvey ? catalog.find(settings.citizenSurvey) : undefined;
  const citizen = citizenSurvey
    ? { survey: citizenSurvey, ...(await surveyResults(db, citizenSurvey, { answers: [] })), coding: await codingOf(db, citizenSurvey.slug) }
    : null;
  const institutions = await Promise.all(included.filter((s) => s.audience === 'institution').map((s) => institutionAnswers(db, s)));
  return {
    now,
    settings,
    threshold: await stakeholderService.threshold(db),
    municipality: catalog.municipality,
    stakeholders: await stakeholderRepository.list(db, {}),
    activities: await activityRepository.list(db),
    surveys,
    citizen,
    institutions,
    meetings: await loadOutcomes(db, { heldBy: now }),
    findings: await findingRepository.list(db),
    swot: { reviews: await swotRepository.reviews(db), items: await swotRepository.items(db) },
  };
}
