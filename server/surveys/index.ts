// The surveys feature's public face.
export { surveyRouter, type SurveyRoutesDeps } from './survey.routes';
export { SURVEY_UPLOAD_PATHS, surveyAdminRouter, type SurveyAdminDeps } from './survey-admin.routes';
export { loadCatalog, DefinitionError, type LoadedSurveys } from './survey-catalog';
export { SurveyRegistry, surveyOr404, type SurveyCatalog } from './survey-registry';
export { findUnreadableAnswers } from './definition-guard';
export { surveyStatus, type SurveyStatus } from './survey-flow';
export { clearExpiredDrafts } from './response.service';
export * as responseRepository from './response.repository';
export * as surveyDefinitionRepository from './survey-definition.repository';
export { allQuestions, assertNever, OTHER_OPTION_ID } from './survey-definition';
export type { Option, Question, QuestionKind, QuestionOf, Survey } from './survey-definition';
export { ratingRange, type AnswerRow } from './survey-answers';
export { RESPONSE_CHANNELS, type ResponseChannel } from './response.table';
export { EXCLUSION_REASONS, SUPERSEDED } from './response.table';
export { answersToFields, type FormFields } from './survey-answers';
export { describeResponse, type AnswerLine } from './response-view';
export { storedSectionHandlers, type StoredFlow } from './section-pages';
export { draftsExpire } from './response.service';
