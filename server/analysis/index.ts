// The analysis feature's public face: results, breakdowns and exports.
export { resultsRouter, type ResultsDeps } from './results.routes';
export { surveyResults } from './results.service';
export type { ResultFilter } from './results.repository';
