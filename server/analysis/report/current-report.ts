// The report as it stands now: the stored settings, the words of the report's language, the data
// loaded from the database and the report built from them. Every screen that shows part of the
// report (the report, findings, GZFT review, template check, other features' captions) starts here.
import type { Db } from '../../platform/db/connection';
import type { I18n } from '../../platform/i18n/i18n';
import type { SurveyCatalog } from '../../surveys';
import { buildReport } from './report-builder';
import { loadReportData, type ReportData } from './report-data';
import type { Report } from './report-model';
import * as reportSettings from './report-settings';
import type { ReportSettings } from './report-settings';
import { reportWords, type ReportWords } from './report-words';

export interface CurrentReportDeps {
  db: Db;
  catalog: SurveyCatalog;
  i18n: I18n;
  timeZone: string;
  now: () => Date;
}

export interface CurrentData {
  settings: ReportSettings;
  words: ReportWords;
  data: ReportData;
}

export async function currentData(deps: CurrentReportDeps): Promise<CurrentData> {
  const settings = await reportSettings.load(deps.db, deps.catalog.municipality, deps.catalog.surveys);
  const words = reportWords(deps.i18n, settings.language, deps.timeZone);
  return { settings, words, data: await loadReportData(deps.db, deps.catalog, settings, deps.now()) };
}

export async function currentReport(deps: CurrentReportDeps): Promise<CurrentData & { report: Report }> {
  const current = await currentData(deps);
  return { ...current, report: buildReport(current.data, current.words) };
}
