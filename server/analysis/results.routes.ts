// Back-office results of a survey: every question summarised with filters, a cross-tab, the free
// texts, and the exports (raw responses as CSV/XLSX, results as XLSX).
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { actorOf, requirePermission } from '../admin';
import * as audit from '../platform/audit/audit.repository';
import type { Db } from '../platform/db/connection';
import { AppError } from '../platform/http/app-error';
import { writeCsv, writeXlsx, type Cell } from '../platform/export/writers';
import { XLSX_NUMBER_FORMATS } from '../platform/number-format';
import { includesFolded } from '../platform/text';
import { excerpt } from './report/report-context';
import { endOfDayIso, zonedToIso } from '../platform/time';
import { accessCodeRepository, allQuestions, leadIn, OTHER_OPTION_ID, RESPONSE_CHANNELS, responseRepository, surveyOr404, type Survey, type SurveyCatalog } from '../surveys';
import { exclusionRows, exclusionStatement, reasonLabel } from './exclusion-statement';
import { isGrouping } from './cross-tab';
import { codebookRows, exportColumns, exportedResponses, exportHeader, exportRow, type ExportWords } from './response-export';
import { resultTable, rowsWithGroupHeadings, withUnanswered, type TableWords } from './result-tables';
import * as resultsRepository from './results.repository';
import type { ResultFilter } from './results.repository';
import { isBreakdown, resultsPage, surveyResults } from './results.service';
import { SUPPRESSION_THRESHOLD } from './suppression';

export interface ResultsDeps {
  db: Db;
  catalog: SurveyCatalog;
  now: () => Date;
  timeZone: string;
}

const FilterQuery = z.object({
  from: z.iso.date().optional().catch(undefined),
  to: z.iso.date().optional().catch(undefined),
  channel: z.enum(RESPONSE_CHANNELS).optional().catch(undefined),
  code: z.enum(['with', 'without']).optional().catch(undefined),
  cross_by: z.string().max(64).optional().catch(undefined),
  cross_q: z.string().max(130).optional().catch(undefined),
});
const TextsQuery = z.object({
  q: z.string().max(200).optional().catch(undefined),
  option: z.literal(OTHER_OPTION_ID).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).default(1).catch(1),
});
export const TEXTS_PER_PAGE = 50;
/** Query keys of profile filters: by.<question id>=<option id>. */
const BY_PREFIX = 'by.';

export function resultsRouter(deps: ResultsDeps): Router {
  const router = Router();
  const { db, catalog } = deps;
  const findSurvey = (req: Request) => surveyOr404(catalog, req.params.slug);

  /** The filter from the query string; unknown or malformed parts are ignored, never trusted. */
  function readFilter(req: Request, survey: Survey) {
    const query = FilterQuery.parse(req.query);
    const grouping = allQuestions(survey).filter(isGrouping);
    // A filter matches a stored option; a number's band is not stored, so bands break down but do not filter.
    const filterable = grouping.filter((question) => question.kind !== 'number');
    const answers: ResultFilter['answers'] = [];
    for (const question of filterable) {
      const chosen = req.query[`${BY_PREFIX}${question.id}`];
      if (typeof chosen === 'string' && question.options.some((o) => o.id === chosen)) answers.push({ questionId: question.id, optionId: chosen });
    }
    const filter: ResultFilter = {
      from: query.from ? zonedToIso(query.from, deps.timeZone) : undefined,
      to: query.to ? endOfDayIso(query.to, deps.timeZone) : undefined,
      channel: query.channel,
      answers,
      ...(query.code ? { accessCode: query.code } : {}),
    };
    const params = new URLSearchParams();
    if (query.from) params.set('from', query.from);
    if (query.to) params.set('to', query.to);
    if (query.channel) params.set('channel', query.channel);
    if (query.code) params.set('code', query.code);
    for (const answer of answers) params.set(`${BY_PREFIX}${answer.questionId}`, answer.optionId);
    return { query, filter, grouping, filterable, queryString: params.toString() };
  }

  const tableWords = (res: Response): TableWords => ({ t: res.locals.t, text: (value) => res.locals.localize(value).text });

  router.get('/admin/surveys/:slug/results', requirePermission('results.read'), async (req, res) => {
    const survey = findSurvey(req);
    const { query, filter, grouping, filterable, queryString } = readFilter(req, survey);
    const page = await resultsPage(db, survey, filter, { by: query.cross_by, target: query.cross_q }, tableWords(res));
    res.render('admin/analysis/results', {
      exclusions: exclusionStatement(await responseRepository.exclusionCounts(db, survey.slug), res.locals.t),
      pageTitle: res.locals.t('results:title', { title: res.locals.localize(survey.title).text }),
      survey,
      ...page,
      query,
      filter,
      grouping,
      filterable,
      queryString,
      accessCodes: query.code !== undefined || (await accessCodeRepository.findMode(db, survey.slug)) !== 'none',
      leadIn,
      scripts: ['vendor/chart.umd.js', 'js/charts.js'],
    });
  });

  router.get('/admin/surveys/:slug/results/texts/:questionId', requirePermission('results.read'), async (req, res) => {
    const survey = findSurvey(req);
    const question = allQuestions(survey).find((q) => q.id === req.params.questionId);
    const query = TextsQuery.parse(req.query);
    const isText = question && (question.kind === 'short_text' || question.kind === 'long_text');
    const isOther = question && query.option === OTHER_OPTION_ID && 'other' in question && question.other;
    if (!question || (!isText && !isOther)) throw new AppError(404, 'errors:not_found');
    const { filter, queryString } = readFilter(req, survey);
    const optionId = isOther ? OTHER_OPTION_ID : undefined;
    const answered = await resultsRepository.countTexts(db, survey.slug, filter, question.id, optionId);
    // In a breakdown, fewer than five texts could be matched to the people who wrote them.
    const hidden = isBreakdown(filter) && answered < SUPPRESSION_THRESHOLD;
    const offset = (query.page - 1) * TEXTS_PER_PAGE;
    let texts: { text: string }[] = [];
    let total = hidden ? 0 : answered;
    if (!hidden && query.q) {
      // Turkish-aware matching (İ/ı, diacritics) happens here, not in SQL: only searches read them all.
      const matching = (await resultsRepository.texts(db, survey.slug, filter, question.id, { optionId })).filter((t) => includesFolded(t.text, query.q!));
      total = matching.length;
      texts = matching.slice(offset, offset + TEXTS_PER_PAGE);
    } else if (!hidden) {
      texts = await resultsRepository.texts(db, survey.slug, filter, question.id, { optionId, limit: TEXTS_PER_PAGE, offset });
    }
    res.render('admin/analysis/texts', {
      // One page per question (and its "other" answers): the title says which, and of which survey.
      pageTitle: [
        `${excerpt(res.locals.localize(question.text).text, 80)}${isOther ? ` – ${res.locals.t('surveys:other_option')}` : ''}`,
        res.locals.t('results:texts_title'),
        res.locals.localize(survey.title).text,
      ].join(' — '),
      survey,
      question,
      texts,
      total,
      hidden,
      query,
      first: offset + 1,
      pages: Math.max(1, Math.ceil(total / TEXTS_PER_PAGE)),
      queryString,
    });
  });

  async function recordExport(req: Request, res: Response, survey: Survey, format: string, filter: ResultFilter) {
    await audit.record(db, { action: 'export.downloaded', ...audit.by(actorOf(req, res)), target: survey.slug, details: { format, filter } }, deps.now());
  }

  const exportWords = (res: Response): ExportWords => ({
    text: (value) => res.locals.localize(value).text,
    fixed: {
      id: res.locals.t('results:export.response_id'),
      submittedAt: res.locals.t('results:export.submitted_at'),
      channel: res.locals.t('results:export.channel'),
      language: res.locals.t('results:export.language'),
    },
    chosen: res.locals.t('results:export.chosen_codes'),
    rank: res.locals.t('results:export.rank_codes'),
    notApplicable: res.locals.t('results:not_applicable'),
    other: res.locals.t('results:export.other'),
    otherText: res.locals.t('results:export.other_text'),
    otherTextCodes: res.locals.t('results:export.other_text_codes'),
    band: res.locals.t('results:band'),
    outsideBands: res.locals.t('surveys:outside_bands'),
  });
  const codebookHeader = (res: Response): Cell[][] => {
    const t = res.locals.t;
    return [[t('results:export.column'), t('results:export.question_id'), t('results:export.label'), t('results:export.kind'), t('results:export.codes')]];
  };

  /** The responses left out of the export, per reason: the export says what it does not hold. */
  const exclusionSheet = async (res: Response, survey: Survey) => {
    const t = res.locals.t;
    const counts = await responseRepository.exclusionCounts(db, survey.slug);
    const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
    return {
      name: t('results:exclusions.sheet'),
      header: [[exclusionStatement(counts, t)], [t('results:exclusions.reason'), t('results:exclusions.count')]],
      rows: [
        ...exclusionRows(counts).map(([reason, count]): Cell[] => [reasonLabel(reason, t), count]),
        [t('results:exclusions.total'), total],
      ],
      widths: [40, 14],
    };
  };

  const fileName = (survey: Survey, kind: string, ext: string) => `${survey.slug}-${kind}-${deps.now().toISOString().slice(0, 10)}.${ext}`;
  const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

  // Raw responses are not a breakdown: a planner may read and export each of them anyway.
  router.get('/admin/surveys/:slug/export/responses.csv', requirePermission('export.download'), async (req, res) => {
    const survey = findSurvey(req);
    const { filter } = readFilter(req, survey);
    await recordExport(req, res, survey, 'responses.csv', filter);
    const columns = exportColumns(survey, exportWords(res));
    res.type('text/csv; charset=utf-8').attachment(fileName(survey, 'yanitlar', 'csv'));
    await writeCsv(res, exportHeader(columns), mapAsync(exportedResponses(db, survey.slug, filter), (response) => exportRow(columns, response)), res.locals.lang);
  });

  // The CSV's codebook, a file of its own beside it (one table per CSV): the column ids, what each
  // column asks and what its codes mean, row for column. It holds no answers.
  router.get('/admin/surveys/:slug/export/codebook.csv', requirePermission('export.download'), async (req, res) => {
    const survey = findSurvey(req);
    const columns = exportColumns(survey, exportWords(res));
    res.type('text/csv; charset=utf-8').attachment(fileName(survey, 'kod-kitabi', 'csv'));
    await writeCsv(res, codebookHeader(res), codebookRows(columns, survey), res.locals.lang);
  });

  router.get('/admin/surveys/:slug/export/responses.xlsx', requirePermission('export.download'), async (req, res) => {
    const survey = findSurvey(req);
    const { filter } = readFilter(req, survey);
    await recordExport(req, res, survey, 'responses.xlsx', filter);
    const columns = exportColumns(survey, exportWords(res));
    const t = res.locals.t;
    res.type(XLSX_TYPE).attachment(fileName(survey, 'yanitlar', 'xlsx'));
    await writeXlsx(res, [
      { name: t('results:export.responses_sheet'), header: exportHeader(columns), rows: mapAsync(exportedResponses(db, survey.slug, filter), (response) => exportRow(columns, response)) },
      {
        name: t('results:export.codebook_sheet'),
        header: codebookHeader(res),
        rows: codebookRows(columns, survey),
        widths: [28, 24, 60, 16, 80],
      },
      await exclusionSheet(res, survey),
    ]);
  });

  router.get('/admin/surveys/:slug/export/results.xlsx', requirePermission('export.download'), async (req, res) => {
    const survey = findSurvey(req);
    const { filter } = readFilter(req, survey);
    await recordExport(req, res, survey, 'results.xlsx', filter);
    const { n, results, unanswered } = await surveyResults(db, survey, filter);
    const suppress = isBreakdown(filter);
    const tooFew = suppress && n < SUPPRESSION_THRESHOLD;
    const tables = tooFew ? [] : results.map((result) => withUnanswered(resultTable(result, tableWords(res), suppress), unanswered.get(result.question.id), tableWords(res), suppress));
    const t = res.locals.t;
    res.type(XLSX_TYPE).attachment(fileName(survey, 'sonuclar', 'xlsx'));
    await writeXlsx(res, [
      {
        name: t('results:export.summary_sheet'),
        header: [
          [res.locals.localize(survey.title).text],
          [t('results:n'), tooFew ? '<5' : n],
          ...(suppress ? [[t('results:suppression_note')]] : []),
          [exclusionStatement(await responseRepository.exclusionCounts(db, survey.slug), t)],
        ],
        rows: [],
      },
      ...tables.map((table) => ({
        name: table.questionId,
        header: [[table.title], ...table.stats.map((stat): Cell[] => [stat.label, stat.value]), ...(table.note ? [[table.note]] : []), ...(table.columns.length > 0 ? [table.columns.map((c) => c.label)] : [])],
        rows: rowsWithGroupHeadings(table),
        // The same digits as the page: counts whole, percentages one decimal, means two.
        numberFormats: table.columns.map((column) => (column.type === 'label' ? undefined : XLSX_NUMBER_FORMATS[column.type])),
      })),
    ]);
  });

  return router;
}

async function* mapAsync<T, U>(source: AsyncIterable<T>, map: (item: T) => U): AsyncGenerator<U> {
  for await (const item of source) yield map(item);
}
