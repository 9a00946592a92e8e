// The surveys feature's public face.
export { surveyRouter, type SurveyRoutesDeps } from './survey.routes';
export { loadCatalog, DefinitionError, type SurveyCatalog } from './survey-catalog';
export { findUnreadableAnswers } from './definition-guard';
export { surveyStatus, type SurveyStatus } from './survey-flow';
export { clearExpiredDrafts } from './response.service';
export * as responseRepository from './response.repository';
export * as surveyDefinitionRepository from './survey-definition.repository';
export type { Survey } from './survey-definition';
