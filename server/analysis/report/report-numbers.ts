// The report's captions for screens elsewhere in the back office that show the same table (the
// consultation record shows T14 and T14b): taken from the report as built, so they carry the
// numbers the planner sees in the report and its exports, whatever comes before them.
import type { Db } from '../../platform/db/connection';
import type { I18n } from '../../platform/i18n/i18n';
import type { SurveyCatalog } from '../../surveys';
import { buildReport } from './report-builder';
import { loadReportData } from './report-data';
import { captionOf, tablesOf, type TableId } from './report-model';
import * as reportSettings from './report-settings';
import { reportWords } from './report-words';

export interface ReportCaptions {
  /** The surveys the report draws on: a table of another survey is not in the report. */
  surveys: string[];
  captions: Partial<Record<TableId, string>>;
}

export async function reportCaptions(deps: { db: Db; catalog: SurveyCatalog; i18n: I18n; timeZone: string; now: () => Date }, ids: TableId[]): Promise<ReportCaptions> {
  const settings = await reportSettings.load(deps.db, deps.catalog.municipality, deps.catalog.surveys);
  const report = buildReport(await loadReportData(deps.db, deps.catalog, settings, deps.now()), reportWords(deps.i18n, settings.language, deps.timeZone));
  const captions: Partial<Record<TableId, string>> = {};
  for (const table of tablesOf(report)) if (ids.includes(table.id)) captions[table.id] = captionOf(report, table);
  return { surveys: settings.surveys, captions };
}
