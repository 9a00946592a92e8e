// The analysis feature's public face: results, breakdowns and exports.
export { resultsRouter, type ResultsDeps } from './results.routes';
export { surveyResults } from './results.service';
export type { ResultFilter } from './results.repository';
export { activitiesRouter, type ActivitiesDeps } from './report/activities.routes';
export * as activityRepository from './report/activity.repository';
export { reportRouter, type ReportDeps } from './report/report.routes';
export { TEMPLATE_UPLOAD_PATHS } from './report/template.routes';
export { findingsRouter } from './report/findings.routes';
export { reportCaptions, type ReportCaptions } from './report/report-numbers';
