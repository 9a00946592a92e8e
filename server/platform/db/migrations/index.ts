// The one static list of migrations, so the server, the CLI and the tests apply exactly the same ones.
import type { Migration } from 'kysely';
import * as createSettings from './2026_11_21_01_create_settings';
import * as createResponses from './2026_11_21_02_create_responses';
import * as createUsersAndSessions from './2026_11_21_03_create_users_and_sessions';
import * as createAuditEvents from './2026_11_21_04_create_audit_events';
import * as addResponseEntryAndExclusion from './2026_11_21_05_add_response_entry_and_exclusion';
import * as createSurveyManagement from './2026_11_21_06_create_survey_management';
import * as addSessionUser from './2026_11_21_07_add_session_user';
import * as createOutbox from './2026_11_21_08_create_outbox';
import * as createStakeholders from './2026_11_21_09_create_stakeholders';
import * as createInvitations from './2026_11_21_10_create_invitations';
import * as createScheduledJobs from './2026_11_21_11_create_scheduled_jobs';
import * as createMeetings from './2026_11_21_12_create_meetings';
import * as createReportInputs from './2026_11_21_13_create_report_inputs';
import * as createAnswerTallies from './2026_11_21_14_create_answer_tallies';
import * as rebuildAnswerTallies from './2026_11_21_15_rebuild_answer_tallies';
import * as createConsents from './2026_11_22_16_create_consents';
import * as createPrivacyRecords from './2026_11_22_17_create_privacy_records';
import * as createSwotReviews from './2026_12_07_18_create_swot_reviews';
import * as createFindingDraftDecisions from './2026_12_07_19_create_finding_draft_decisions';
import * as createReportTemplates from './2026_12_07_20_create_report_templates';
import * as createCodingBatches from './2026_12_07_21_create_coding_batches';
import * as createSecondCodings from './2026_12_07_23_create_second_codings';
import * as createAnswerSegments from './2026_12_07_22_create_answer_segments';
import * as createSurveyDrafts from './2026_12_07_24_create_survey_drafts';
import * as createResponseQuality from './2026_12_07_30_create_response_quality';
import * as createAccessCodes from './2026_12_07_33_create_access_codes';
import * as addLoginThrottleNotifiedAt from './2026_12_07_36_add_login_throttle_notified_at';
import * as createPaperForms from './2026_12_08_20_create_paper_forms';
import * as addOpinionLetterAnswer from './2026_12_08_30_add_opinion_letter_answer';
import * as addBookingCodes from './2026_12_08_40_add_booking_codes';
import * as addPhoneSignUps from './2026_12_08_41_add_phone_sign_ups';
import * as addOutboxAndJobLeases from './2026_12_08_80_add_outbox_and_job_leases';
import * as createRateLimitHits from './2026_12_08_95_create_rate_limit_hits';
import * as forgetPlainLoginThrottleKeys from './2026_12_09_30_forget_plain_login_throttle_keys';
import * as createOpinionLetterContents from './2026_12_09_40_create_opinion_letter_contents';

export const migrations: Record<string, Migration> = {
  '2026_11_21_01_create_settings': createSettings,
  '2026_11_21_02_create_responses': createResponses,
  '2026_11_21_03_create_users_and_sessions': createUsersAndSessions,
  '2026_11_21_04_create_audit_events': createAuditEvents,
  '2026_11_21_05_add_response_entry_and_exclusion': addResponseEntryAndExclusion,
  '2026_11_21_06_create_survey_management': createSurveyManagement,
  '2026_11_21_07_add_session_user': addSessionUser,
  '2026_11_21_08_create_outbox': createOutbox,
  '2026_11_21_09_create_stakeholders': createStakeholders,
  '2026_11_21_10_create_invitations': createInvitations,
  '2026_11_21_11_create_scheduled_jobs': createScheduledJobs,
  '2026_11_21_12_create_meetings': createMeetings,
  '2026_11_21_13_create_report_inputs': createReportInputs,
  '2026_11_21_14_create_answer_tallies': createAnswerTallies,
  '2026_11_21_15_rebuild_answer_tallies': rebuildAnswerTallies,
  '2026_11_22_16_create_consents': createConsents,
  '2026_11_22_17_create_privacy_records': createPrivacyRecords,
  '2026_12_07_18_create_swot_reviews': createSwotReviews,
  '2026_12_07_19_create_finding_draft_decisions': createFindingDraftDecisions,
  '2026_12_07_20_create_report_templates': createReportTemplates,
  '2026_12_07_21_create_coding_batches': createCodingBatches,
  '2026_12_07_23_create_second_codings': createSecondCodings,
  '2026_12_07_22_create_answer_segments': createAnswerSegments,
  '2026_12_07_24_create_survey_drafts': createSurveyDrafts,
  '2026_12_07_30_create_response_quality': createResponseQuality,
  '2026_12_07_33_create_access_codes': createAccessCodes,
  '2026_12_07_36_add_login_throttle_notified_at': addLoginThrottleNotifiedAt,
  '2026_12_08_20_create_paper_forms': createPaperForms,
  '2026_12_08_30_add_opinion_letter_answer': addOpinionLetterAnswer,
  '2026_12_08_40_add_booking_codes': addBookingCodes,
  '2026_12_08_41_add_phone_sign_ups': addPhoneSignUps,
  '2026_12_08_80_add_outbox_and_job_leases': addOutboxAndJobLeases,
  '2026_12_08_95_create_rate_limit_hits': createRateLimitHits,
  '2026_12_09_30_forget_plain_login_throttle_keys': forgetPlainLoginThrottleKeys,
  '2026_12_09_40_create_opinion_letter_contents': createOpinionLetterContents,
};
