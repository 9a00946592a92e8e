// The surveys feature's public face.
export { surveyRouter, type SurveyRoutesDeps } from './survey.routes';
export { surveyAdminRouter, type SurveyAdminDeps } from './survey-admin.routes';
export { loadCatalog, DefinitionError, type LoadedSurveys } from './survey-catalog';
export { SurveyRegistry, type SurveyCatalog } from './survey-registry';
export { findUnreadableAnswers } from './definition-guard';
export { surveyStatus, type SurveyStatus } from './survey-flow';
export { clearExpiredDrafts } from './response.service';
export * as responseRepository from './response.repository';
export * as surveyDefinitionRepository from './survey-definition.repository';
export type { Survey } from './survey-definition';
