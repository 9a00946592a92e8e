// KVKK (Law 6698): the privacy notice built from the municipality profile, explicit consents and
// their withdrawal.
export { buildPrivacyNotice, type PrivacyNotice } from './notice';
export { consentRouter, type ConsentRoutesDeps } from './consent.routes';
export * as consentService from './consent.service';
export { consentsOfRegistrations, activeConsent, isActive as isActiveConsent } from './consent.service';
export type { Consent } from './consent.repository';
export { CONSENT_CHANNELS, CONSENT_PURPOSES, type ConsentChannel, type ConsentPurpose } from './consent.table';
// Retention (anonymising after the plan's adoption plus the retention period) and data-subject requests.
export { privacyAdminRouter, type PrivacyAdminDeps } from './privacy-admin.routes';
export * as retentionService from './retention.service';
export * as dataSubjectService from './data-subject.service';
export { ANONYMOUS_NAME, addMonths, retentionPlan, retentionState, type RetentionPlan, type RetentionState } from './retention-rules';
export { dueOn, deadlineOf, subjectOf, type Deadline } from './data-subject-rules';
