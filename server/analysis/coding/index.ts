// Coding open answers: the codebook, the coding screen, and what the report reads from them.
export { codingRouter, type CodingDeps } from './coding.routes';
export { codingSearchRouter } from './coding-search.routes';
export { CODEBOOK_UPLOAD_PATHS, codebookIoRouter } from './codebook-io.routes';
export { agreementRouter } from './agreement.routes';
export { codingGroupsRouter, type CodingGroupsDeps } from './groups.routes';
export { segmentRouter } from './segment.routes';
export * as segmentRepository from './segment.repository';
export type { Coverage, QuestionCoverage, Segment } from './segment.repository';
export * as codingRepository from './coding.repository';
export type { Quote, TextAnswer, Theme, ThemeInput } from './coding.repository';
export { SWOT_KINDS, type SwotKind } from './coding.table';
export { maskPersonalData } from './personal-data';
export { suggestThemes } from './theme-suggestions';
