// T6–T13 with F2 and F3: the citizen survey's respondent profile, satisfaction, priorities, image
// and coded open answers. Counts of fewer respondents than the threshold are shown as "<n", and
// where a hidden count could be worked back from the total, the next smallest is hidden too.
import { allQuestions, type Option, type Question } from '../../surveys';
import { compareTurkish } from '../../platform/text';
import { optionLabel } from '../result-tables';
import { hiddenCells } from '../suppression';
import type { ChoiceResult, LikertResult, QuestionResult, RankingResult } from '../survey-results';
import type { FigureData } from './figure-config';
import type { ReportBlock, ReportFigure, ReportRow, ReportTable, TableId } from './report-model';
import { columns, percentOf, round, table, type Context } from './report-context';

type Role = NonNullable<Question['role']>;

function resultFor(ctx: Context, role: Role): QuestionResult | undefined {
  const citizen = ctx.data.citizen;
  if (!citizen) return undefined;
  const question = allQuestions(citizen.survey).find((q) => q.role === role);
  return question ? citizen.results.find((r) => r.question.id === question.id) : undefined;
}

const tableWords = (ctx: Context) => ({ t: ctx.words.t, text: ctx.words.text });

function noSource(ctx: Context, id: TableId, titleKey: string, specs: Parameters<typeof columns>[1], role: Role): ReportTable {
  const empty = ctx.data.citizen ? ctx.words.t('report:empty.no_question', { role }) : ctx.words.t('report:empty.no_citizen_survey');
  return table(id, ctx.words.t(`report:${titleKey}`), columns(ctx, specs), [], { empty });
}

/** T6–T8: one profile question, n and %. */
function profileTable(ctx: Context, id: TableId, role: Role, titleKey: string): ReportTable {
  const specs: Parameters<typeof columns>[1] = [['col.answer', 'text'], ['col.n', 'count'], ['col.percent', 'percent']];
  const found = resultFor(ctx, role);
  const result = found ? categoriesOf(found) : undefined;
  if (!result) return noSource(ctx, id, titleKey, specs, role);
  const { rows, total } = choiceRows(ctx, result);
  return table(id, ctx.words.t(`report:${titleKey}`), columns(ctx, specs), rows.map((r) => ({ key: r.key, cells: r.cells.slice(0, 3) })), {
    total: total.slice(0, 3),
    empty: ctx.words.t('report:empty.no_answers'),
  });
}

/** Answers counted per category: a choice question's options, or a banded number's bands. */
interface Categories {
  n: number;
  options: ChoiceResult['options'];
  labels: Option[];
  /** Every respondent is in exactly one category. */
  partition: boolean;
}

/** A profile question's result as categories; a banded number (age, years of residence) counts by band. */
function categoriesOf(result: QuestionResult): Categories | undefined {
  if (result.kind === 'choice') {
    return { n: result.n, options: result.options, labels: result.question.options, partition: result.question.kind !== 'multiple_choice' };
  }
  if (result.kind === 'number' && result.bands && result.question.bands) {
    return { n: result.n, options: result.bands, labels: result.question.bands, partition: true };
  }
  return undefined;
}

function choiceRows(ctx: Context, result: Categories) {
  const counts = result.options.map((o) => o.count);
  const hidden = hiddenCells([counts], { rowTotals: result.partition, columnTotals: false, threshold: ctx.data.settings.suppression });
  const totalHidden = hidden.rowTotals[0] || ctx.isSmall(result.n);
  const rows = result.options.map((o, i) => {
    const isHidden = totalHidden || hidden.cells[0]![i]!;
    return {
      key: o.id,
      count: o.count,
      hidden: isHidden,
      // A small count reads "<5"; a larger one hidden only so it cannot give the small one away reads "–".
      cells: [optionLabel(result.labels, o.id, tableWords(ctx)), !isHidden ? o.count : ctx.isSmall(o.count) ? ctx.suppressed : o.count === 0 ? 0 : null, isHidden ? null : round(o.percent)],
    };
  });
  const total = [ctx.words.t('report:total'), totalHidden ? ctx.suppressed : result.n, totalHidden || result.n === 0 ? null : 100];
  return { rows, total, totalHidden };
}

/** T9: mahalle of the respondents beside its share of the population. */
function mahalleTable(ctx: Context): ReportTable {
  const specs: Parameters<typeof columns>[1] = [
    ['col.mahalle', 'text'],
    ['col.n', 'count'],
    ['col.percent', 'percent'],
    ['col.population_share', 'percent'],
    ['col.representation', 'decimal'],
  ];
  const found = resultFor(ctx, 'profile.mahalle');
  const result = found ? categoriesOf(found) : undefined;
  if (!result) return noSource(ctx, 'T9', 't9', specs, 'profile.mahalle');
  const population = new Map(ctx.data.municipality.mahalles.map((m) => [m.id, m.population]));
  const totalPopulation = [...population.values()].reduce((a, b) => a + b, 0);
  const { rows, total, totalHidden } = choiceRows(ctx, result);
  return table(
    'T9',
    ctx.words.t('report:t9'),
    columns(ctx, specs),
    rows.map((r): ReportRow => {
      const people = population.get(r.key);
      const share = people !== undefined && totalPopulation > 0 ? people / totalPopulation : null;
      const ratio = r.hidden || !share || result.n === 0 ? null : round(r.count / result.n / share, 2);
      return { key: r.key, cells: [...r.cells, share === null ? null : round(share * 100), ratio] };
    }),
    {
      total: [...total, totalPopulation > 0 ? 100 : null, totalHidden ? null : 1],
      empty: ctx.words.t('report:empty.no_answers'),
      notes: [ctx.words.t('report:notes.representation')],
    },
  );
}

/**
 * A likert row's shares that must not be shown: a share of fewer people than the threshold gives
 * its count away (n is printed), and the points with "Bilgim yok" add up to everyone who answered.
 */
function hiddenPoints(ctx: Context, row: LikertResult['rows'][number]): boolean[] {
  return hiddenCells([[...row.points.map((p) => p.count), row.notApplicable]], { rowTotals: true, columnTotals: false, threshold: ctx.data.settings.suppression }).cells[0]!;
}

/** A T10 row as the table shows it: hidden shares, the rate where shown, the rank by it. */
export interface ShownSatisfaction {
  row: LikertResult['rows'][number];
  /** n reaches the threshold: the row's figures are printed. */
  visible: boolean;
  /** Per point and then "Bilgim yok": shares the table hides. */
  hidden: boolean[];
  /** The top-two rate, null where the table hides it. */
  rate: number | null;
  /** By the rate, ties by the mean; null where the rate is hidden. */
  rank: number | null;
}

/**
 * T10's rows with what it shows of them. A row whose rate is hidden gets no rank: its place among
 * the others would tell what the table hides. Whatever quotes T10 (the GZFT candidates) uses this.
 */
export function satisfactionShown(ctx: Context, result: LikertResult): ShownSatisfaction[] {
  const topTwo = result.question.scale.slice(-2).map((p) => p.value);
  const shown = result.rows.map((row) => {
    const visible = row.n >= ctx.data.settings.suppression;
    const hidden = hiddenPoints(ctx, row);
    const rateShown = visible && !hidden.some((h, i) => h && topTwo.includes(row.points[i]?.value ?? NaN));
    return { row, visible, hidden, rate: rateShown ? round(row.topTwoPercent) : null, mean: round(row.mean, 2) ?? 0 };
  });
  const ranked = shown.filter((s) => s.rate !== null).sort((a, b) => b.rate! - a.rate! || b.mean - a.mean);
  return shown.map(({ mean, ...s }) => ({
    ...s,
    rank: s.rate === null ? null : ranked.findIndex((r) => r.rate === s.rate && r.mean === mean) + 1,
  }));
}

/** A T11 item as the table shows it: its score and rank hidden where they would give a count away. */
export interface ShownPriority {
  item: RankingResult['items'][number];
  /** The first choices hidden (small, or one more so the hidden one cannot be worked back). */
  firstHidden: boolean;
  /** Score and rank hidden. */
  scoreHidden: boolean;
}

/** T11's items in rank order with what the table shows of them. */
export function prioritiesShown(ctx: Context, r: RankingResult): ShownPriority[] {
  const ordered = [...r.items].sort((a, b) => a.rank - b.rank);
  // First choices add up to the people who ranked (printed in the note): one hidden count could be
  // worked back, so another is hidden with it. The score is first and later choices weighted, so
  // it would give a hidden count away: it and the rank go with them.
  const firstHidden = hiddenCells(ordered.map((item) => [item.first]), { rowTotals: false, columnTotals: true, threshold: ctx.data.settings.suppression }).cells.map((c) => c[0]!);
  return ordered.map((item, i) => ({ item, firstHidden: firstHidden[i]!, scoreHidden: firstHidden[i]! || ctx.isSmall(item.chosen) }));
}

/** T10: satisfaction per service area; F2 draws the same rows. */
function satisfaction(ctx: Context): { table: ReportTable; figure: ReportFigure } {
  const result = resultFor(ctx, 'satisfaction');
  const figure = (data: FigureData | null, empty?: string): ReportFigure => ({
    kind: 'figure',
    id: 'F2',
    number: 0,
    title: ctx.words.t('report:f2'),
    description: ctx.words.t('report:f2_description'),
    data,
    empty,
  });
  if (!result || result.kind !== 'likert') {
    const t = noSource(ctx, 'T10', 't10', [['col.area', 'text']], 'satisfaction');
    return { table: t, figure: figure(null, t.empty) };
  }
  const q = result.question;
  const label = (id: string) => optionLabel(q.rows, id, tableWords(ctx));
  // Ranked by the rate the table prints (plans quote it), the mean breaking ties.
  const shownRows = satisfactionShown(ctx, result);
  const rows = shownRows.map(({ row, visible, hidden, rate, rank }): ReportRow => {
    if (!visible) {
      return { key: row.id, cells: [label(row.id), row.n === 0 ? 0 : ctx.suppressed, ...q.scale.map(() => null), null, null, null, null] };
    }
    return {
      key: row.id,
      cells: [
        label(row.id),
        row.n,
        ...row.points.map((p, i) => (hidden[i] ? null : round(p.percent))),
        hidden[row.points.length] ? null : round(row.notApplicablePercent),
        round(row.mean, 2),
        rate,
        rank,
      ],
    };
  });
  const t = table(
    'T10',
    ctx.words.t('report:t10'),
    [
      ...columns(ctx, [['col.area', 'text'], ['col.n_without_na', 'count']]),
      ...q.scale.map((p) => ({ label: `${p.value} ${ctx.words.text(p.label)} (%)`, type: 'percent' as const })),
      ...columns(ctx, [['col.not_applicable', 'percent'], ['col.mean', 'decimal'], ['col.satisfaction_rate', 'percent'], ['col.rank', 'count']]),
    ],
    rows,
    { notes: [ctx.words.t('report:notes.t10', { top: q.scale.slice(-2).map((p) => ctx.words.text(p.label)).join(', ') })] },
  );
  const shown = shownRows.filter((s) => s.visible);
  const data: FigureData | null =
    shown.length === 0
      ? null
      : {
          type: 'diverging',
          categories: shown.map((s) => label(s.row.id)),
          // The figure shows what the table shows: a hidden share is a gap, not a bar.
          series: q.scale.map((p, i) => ({ label: ctx.words.text(p.label), values: shown.map((s) => (s.hidden[i] ? null : round(s.row.points[i]!.percent))) })),
          axis: ctx.words.t('report:f2_axis'),
        };
  return { table: t, figure: figure(data, ctx.words.t('report:empty.no_answers')) };
}

/** T11: priority areas (a top-N ranking); F3 draws the weighted scores. */
function priorities(ctx: Context): { table: ReportTable; figure: ReportFigure } {
  const result = resultFor(ctx, 'priority');
  const figure = (data: FigureData | null, empty?: string): ReportFigure => ({
    kind: 'figure',
    id: 'F3',
    number: 0,
    title: ctx.words.t('report:f3'),
    description: ctx.words.t('report:f3_description'),
    data,
    empty,
  });
  const specs: Parameters<typeof columns>[1] = [
    ['col.area', 'text'],
    ['col.chosen', 'count'],
    ['col.percent_of_respondents', 'percent'],
    ['col.first_choice', 'count'],
    ['col.weighted_score', 'count'],
    ['col.rank', 'count'],
  ];
  if (!result || result.kind !== 'ranking') {
    const t = noSource(ctx, 'T11', 't11', specs, 'priority');
    return { table: t, figure: figure(null, t.empty) };
  }
  const r: RankingResult = result;
  const label = (id: string) => optionLabel(r.question.items, id, tableWords(ctx));
  const count = (value: number) => (ctx.isSmall(value) ? ctx.suppressed : value);
  const shownItems = prioritiesShown(ctx, r);
  const ordered = shownItems.map((s) => s.item);
  const firstHidden = shownItems.map((s) => s.firstHidden);
  const scoreHidden = (i: number) => shownItems[i]!.scoreHidden;
  const weights = Array.from({ length: r.question.rankCount }, (_, i) => r.question.rankCount - i).join('-');
  const t = table(
    'T11',
    ctx.words.t('report:t11'),
    columns(ctx, specs),
    ordered.map((item, i) => ({
      key: item.id,
      cells: [
        label(item.id),
        count(item.chosen),
        ctx.isSmall(item.chosen) ? null : round(item.chosenPercent),
        firstHidden[i] ? (ctx.isSmall(item.first) ? ctx.suppressed : null) : item.first,
        scoreHidden(i) ? null : item.score,
        scoreHidden(i) || item.chosen === 0 ? null : item.rank,
      ],
    })),
    { notes: [ctx.words.t('report:notes.t11', { n: r.n, weights })] },
  );
  const chosen = ordered.filter((item, i) => item.chosen > 0 && !scoreHidden(i));
  const data: FigureData | null =
    chosen.length === 0 ? null : { type: 'bars', categories: chosen.map((i) => label(i.id)), values: chosen.map((i) => i.score), axis: ctx.words.t('report:f3_axis', { weights }) };
  return { table: t, figure: figure(data, ctx.words.t('report:empty.no_answers')) };
}

/** T12: the municipality's image, one row per adjective. */
function image(ctx: Context): ReportTable {
  const specs: Parameters<typeof columns>[1] = [['col.statement', 'text'], ['col.n_without_na', 'count'], ['col.mean', 'decimal'], ['col.positive', 'percent']];
  const result = resultFor(ctx, 'image');
  if (!result || result.kind !== 'likert') return noSource(ctx, 'T12', 't12', specs, 'image');
  const q = result.question;
  return table(
    'T12',
    ctx.words.t('report:t12'),
    columns(ctx, specs),
    result.rows.map((row) => ({
      key: row.id,
      cells:
        row.n >= ctx.data.settings.suppression
          ? [
              optionLabel(q.rows, row.id, tableWords(ctx)),
              row.n,
              round(row.mean, 2),
              row.points.some((p, i) => hiddenPoints(ctx, row)[i] && q.scale.slice(-2).some((top) => top.value === p.value)) ? null : round(row.topTwoPercent),
            ]
          : [optionLabel(q.rows, row.id, tableWords(ctx)), row.n === 0 ? 0 : ctx.suppressed, null, null],
    })),
    { notes: [ctx.words.t('report:notes.t12', { top: q.scale.slice(-2).map((p) => ctx.words.text(p.label)).join(', ') })] },
  );
}

/** T13: themes of the coded open answers. */
function openAnswers(ctx: Context): ReportTable {
  const specs: Parameters<typeof columns>[1] = [['col.theme', 'text'], ['col.area', 'text'], ['col.frequency', 'count'], ['col.percent_of_comments', 'percent'], ['col.quote', 'text']];
  const citizen = ctx.data.citizen;
  if (!citizen) return table('T13', ctx.words.t('report:t13'), columns(ctx, specs), [], { empty: ctx.words.t('report:empty.no_citizen_survey') });
  const { themes, counts, progress, quotes, coverage } = citizen.coding;
  // Theme counts are people (once per theme however many answers or parts name it), so is the base.
  const base = coverage.total.codedRespondents;
  const used = themes.filter((theme) => (counts.get(theme.id) ?? 0) > 0).sort((a, b) => counts.get(b.id)! - counts.get(a.id)! || compareTurkish(a.name, b.name));
  return table(
    'T13',
    ctx.words.t('report:t13'),
    columns(ctx, specs),
    used.map((theme) => {
      const n = counts.get(theme.id)!;
      return {
        key: String(theme.id),
        cells: [theme.name, ctx.area(theme.areaId), ctx.isSmall(n) ? ctx.suppressed : n, ctx.isSmall(n) ? null : percentOf(n, base), quotes.get(theme.id) ?? ''],
      };
    }),
    {
      empty: ctx.words.t('report:empty.not_coded'),
      notes: [
        ctx.words.t('report:notes.t13', { coded: progress.coded, count: progress.answers, share: ctx.words.formatPercent(percentOf(progress.coded, progress.answers) ?? 0) }),
        ...(coverage.total.split > 0 ? [ctx.words.t('report:notes.t13_segments', { split: coverage.total.split, segments: coverage.total.segments })] : []),
      ],
    },
  );
}

export function surveyBlocks(ctx: Context): ReportBlock[] {
  const t10 = satisfaction(ctx);
  const t11 = priorities(ctx);
  return [
    profileTable(ctx, 'T6', 'profile.gender', 't6'),
    profileTable(ctx, 'T7', 'profile.age', 't7'),
    profileTable(ctx, 'T8', 'profile.education', 't8'),
    mahalleTable(ctx),
    t10.table,
    t10.figure,
    t11.table,
    t11.figure,
    image(ctx),
    openAnswers(ctx),
  ];
}
