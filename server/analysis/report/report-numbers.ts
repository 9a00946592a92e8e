// The report's captions and numbers for screens elsewhere in the back office that show the same
// table or figure (the consultation record shows T14 and T14b, the register T1, T2 and F1): taken
// from the report as built, so they carry the numbers the planner sees in the report and its
// exports, whatever comes before them (the first number is a setting).
import { captionOf, figuresOf, tablesOf, type FigureId, type TableId } from './report-model';
import { currentReport, type CurrentReportDeps } from './current-report';

export interface ReportCaptions {
  /** The surveys the report draws on: a table of another survey is not in the report. */
  surveys: string[];
  /** In the report's language. */
  captions: Partial<Record<TableId | FigureId, string>>;
  /** For a screen that writes its own caption in its reader's language. */
  numbers: Partial<Record<TableId | FigureId, number>>;
}

export async function reportCaptions(deps: CurrentReportDeps, ids: (TableId | FigureId)[]): Promise<ReportCaptions> {
  const { report, settings } = await currentReport(deps);
  const captions: ReportCaptions['captions'] = {};
  const numbers: ReportCaptions['numbers'] = {};
  for (const block of [...tablesOf(report), ...figuresOf(report)]) {
    if (!ids.includes(block.id)) continue;
    captions[block.id] = captionOf(report, block);
    numbers[block.id] = block.number;
  }
  return { surveys: settings.surveys, captions, numbers };
}
