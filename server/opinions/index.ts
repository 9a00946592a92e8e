// The consultation of institutions' public face.
export { OPINION_UPLOAD_PATHS, opinionFormPage, opinionsRouter, type OpinionRoutesDeps } from './opinions.routes';
export { opinionsAdminRouter, type OpinionAdminDeps } from './opinions-admin.routes';
export * as invitationService from './invitation.service';
export * as invitationRepository from './invitation.repository';
export { answerOwners, type AnswerOwner } from './answer-owner';
export { importLetterFiles, letterImportReport, type LetterImport } from './letter-import';
