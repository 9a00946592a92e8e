// The database type, composed from each feature's table definitions.
import type { LoginThrottleTable, SessionTable, UserTable } from '../../admin/account.table';
import type { AnswerTable, AnswerTallyTable, QuestionRespondentsTable, ResponseTable, SurveyDefinitionTable } from '../../surveys/response.table';
import type { AccessCodeBatchTable, AccessCodeTable, SurveyAccessModeTable } from '../../surveys/access-codes/access-code.table';
import type { SurveyDraftTable, SurveyScheduleTable, UploadedSurveyTable } from '../../surveys/survey-management.table';
import type { AuditEventTable } from '../audit/audit.table';
import type { OutboxAttemptTable, OutboxMessageTable } from '../mail/outbox.table';
import type { StakeholderAreaTable, StakeholderEmailTable, StakeholderTable } from '../../stakeholders/stakeholder.table';
import type { InvitationTable, InvitationTokenTable, OpinionLetterContentTable, OpinionLetterTable, SelfRegistrationTable } from '../../opinions/opinion.table';
import type { SettingTable } from './settings.table';
import type { RateLimitHitTable } from '../security/rate-limit.table';
import type { ScheduledJobTable } from '../jobs/scheduled-job.table';
import type { AnswerCodeTable, CodebookThemeTable, CodedAnswerTable, ThemeQuoteTable } from '../../analysis/coding/coding.table';
import type { CodingBatchItemTable, CodingBatchTable } from '../../analysis/coding/coding-batch.table';
import type { SecondCodingCodeTable, SecondCodingTable } from '../../analysis/coding/agreement.table';
import type { AnswerSegmentTable, SegmentCodeTable } from '../../analysis/coding/coding.table';
import type {
  ConsultationActivityMahalleTable,
  ConsultationActivityStakeholderTable,
  ConsultationActivityTable,
  FindingDraftDecisionTable,
  FindingEvidenceTable,
  FindingTable,
  ReportTemplateTable,
} from '../../analysis/report/report.table';
import type { MeetingMahalleTable, MeetingNoticeTable, MeetingRegistrationTable, MeetingRequestTable, MeetingTable } from '../../meetings/meeting.table';
import type { AnonymisationTable, RetentionRunTable } from '../../privacy/retention.table';
import type { DataSubjectRequestTable } from '../../privacy/data-subject.table';
import type { ConsentTable } from '../../privacy/consent.table';
import type { SwotItemTable, SwotReviewTable } from '../../analysis/report/swot.table';
import type { PaperFormTable } from '../../surveys/paper/paper-form.table';
import type { QualityNetworkKeyTable, ResponseFlagTable, ResponseQualityTable } from '../../surveys/quality/quality.table';

export interface Database {
  settings: SettingTable;
  survey_definitions: SurveyDefinitionTable;
  responses: ResponseTable;
  answers: AnswerTable;
  paper_forms: PaperFormTable;
  answer_tallies: AnswerTallyTable;
  question_respondents: QuestionRespondentsTable;
  users: UserTable;
  sessions: SessionTable;
  login_throttles: LoginThrottleTable;
  rate_limit_hits: RateLimitHitTable;
  audit_events: AuditEventTable;
  uploaded_surveys: UploadedSurveyTable;
  survey_schedules: SurveyScheduleTable;
  survey_drafts: SurveyDraftTable;
  survey_access_modes: SurveyAccessModeTable;
  access_code_batches: AccessCodeBatchTable;
  access_codes: AccessCodeTable;
  outbox_messages: OutboxMessageTable;
  outbox_attempts: OutboxAttemptTable;
  stakeholders: StakeholderTable;
  stakeholder_emails: StakeholderEmailTable;
  stakeholder_areas: StakeholderAreaTable;
  invitations: InvitationTable;
  invitation_tokens: InvitationTokenTable;
  opinion_letters: OpinionLetterTable;
  opinion_letter_contents: OpinionLetterContentTable;
  self_registrations: SelfRegistrationTable;
  scheduled_jobs: ScheduledJobTable;
  meetings: MeetingTable;
  meeting_mahalles: MeetingMahalleTable;
  meeting_registrations: MeetingRegistrationTable;
  meeting_notices: MeetingNoticeTable;
  meeting_requests: MeetingRequestTable;
  consultation_activities: ConsultationActivityTable;
  consultation_activity_mahalles: ConsultationActivityMahalleTable;
  consultation_activity_stakeholders: ConsultationActivityStakeholderTable;
  codebook_themes: CodebookThemeTable;
  coded_answers: CodedAnswerTable;
  answer_codes: AnswerCodeTable;
  second_codings: SecondCodingTable;
  second_coding_codes: SecondCodingCodeTable;
  theme_quotes: ThemeQuoteTable;
  coding_batches: CodingBatchTable;
  coding_batch_items: CodingBatchItemTable;
  answer_segments: AnswerSegmentTable;
  segment_codes: SegmentCodeTable;
  findings: FindingTable;
  finding_evidence: FindingEvidenceTable;
  finding_draft_decisions: FindingDraftDecisionTable;
  report_templates: ReportTemplateTable;
  retention_runs: RetentionRunTable;
  anonymisations: AnonymisationTable;
  data_subject_requests: DataSubjectRequestTable;
  consents: ConsentTable;
  swot_items: SwotItemTable;
  swot_reviews: SwotReviewTable;
  response_quality: ResponseQualityTable;
  response_flags: ResponseFlagTable;
  quality_network_keys: QualityNetworkKeyTable;
}
