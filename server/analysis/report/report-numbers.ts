// The report's captions and numbers for screens elsewhere in the back office that show the same
// table or figure (the consultation record shows T14 and T14b, the register T1, T2 and F1): taken
// from the report as built, so they carry the numbers the planner sees in the report and its
// exports, whatever comes before them (the first number is a setting).
import type { Db } from '../../platform/db/connection';
import type { I18n } from '../../platform/i18n/i18n';
import type { SurveyCatalog } from '../../surveys';
import { buildReport } from './report-builder';
import { loadReportData } from './report-data';
import { captionOf, figuresOf, tablesOf, type FigureId, type TableId } from './report-model';
import * as reportSettings from './report-settings';
import { reportWords } from './report-words';

export interface ReportCaptions {
  /** The surveys the report draws on: a table of another survey is not in the report. */
  surveys: string[];
  /** In the report's language. */
  captions: Partial<Record<TableId | FigureId, string>>;
  /** For a screen that writes its own caption in its reader's language. */
  numbers: Partial<Record<TableId | FigureId, number>>;
}

export async function reportCaptions(deps: { db: Db; catalog: SurveyCatalog; i18n: I18n; timeZone: string; now: () => Date }, ids: (TableId | FigureId)[]): Promise<ReportCaptions> {
  const settings = await reportSettings.load(deps.db, deps.catalog.municipality, deps.catalog.surveys);
  const report = buildReport(await loadReportData(deps.db, deps.catalog, settings, deps.now()), reportWords(deps.i18n, settings.language, deps.timeZone));
  const captions: ReportCaptions['captions'] = {};
  const numbers: ReportCaptions['numbers'] = {};
  for (const block of [...tablesOf(report), ...figuresOf(report)]) {
    if (!ids.includes(block.id)) continue;
    captions[block.id] = captionOf(report, block);
    numbers[block.id] = block.number;
  }
  return { surveys: settings.surveys, captions, numbers };
}
