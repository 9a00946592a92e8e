// T4, T5 and T14–T17: how the consultation was done and what institutions, meetings and the
// coded answers said.
import { areaByMeetingTable, meetingsTable, type OutcomeTable } from '../../meetings';
import { STAKEHOLDER_GROUPS } from '../../stakeholders';
import { allQuestions, assertNever, OTHER_OPTION_ID, RESPONSE_CHANNELS, type Question, type Survey } from '../../surveys';
import { compareTurkish, foldTurkish, nameList } from '../../platform/text';
import { maskPersonalData } from '../coding';
import { optionLabel } from '../result-tables';
import { exclusionReasonsText } from '../exclusion-statement';
import type { Cell, ReportBlock, ReportRow, ReportTable, TableId } from './report-model';
import { columns, dayIso, excerpt, percentOf, round, table, type Context } from './report-context';
import type { InstitutionAnswers } from './report-data';
import type { SurveyCounts } from './report.repository';
import type { InstitutionRecord } from '../../opinions/consultation-record';
import { PROBABILITY_SAMPLES } from './report-settings';
import { institutionTypeSummary, mainPointsOf } from './swot-tables';
import { withRefs, type RichText } from './report-model';
import { refTo } from './report-context';


function dateRange(ctx: Context, from: string | null, to: string | null): string {
  if (!from) return '';
  const a = ctx.words.formatDate(from);
  const b = to ? ctx.words.formatDate(to) : a;
  return a === b ? a : `${a} – ${b}`;
}

/** ±% at 95 % confidence for a proportion of 50 %, corrected for a finite population. */
export function marginOfError(n: number, population: number): number | null {
  if (n <= 1 || population <= 1 || n >= population) return n >= population && n > 0 ? 0 : null;
  return round(1.96 * Math.sqrt(0.25 / n) * Math.sqrt((population - n) / (population - 1)) * 100);
}

function mahallesOf(ctx: Context, survey: Survey): string {
  const question = allQuestions(survey).find((q) => q.role === 'profile.mahalle');
  const citizen = ctx.data.citizen;
  if (!question || !citizen || citizen.survey.slug !== survey.slug) return '';
  const result = citizen.results.find((r) => r.question.id === question.id);
  if (!result || result.kind !== 'choice') return '';
  const reached = result.options.filter((o) => o.count > 0).length;
  return ctx.words.t('report:t4_mahalles', { reached, all: ctx.data.municipality.mahalles.length });
}

function activityTable(ctx: Context): ReportTable {
  const { t } = ctx.words;
  const rows: ReportRow[] = [];
  for (const facts of ctx.data.surveys) {
    const { survey, counts } = facts;
    if (survey.audience === 'institution') {
      const record = ctx.data.institutions.find((i) => i.survey.slug === survey.slug);
      const invited = record?.records.filter((r) => r.status !== 'revoked') ?? [];
      const first = invited.map((r) => r.invitedAt).sort()[0] ?? null;
      const last = invited.map((r) => r.answeredAt).filter((a): a is string => a !== null).sort().at(-1) ?? null;
      if (invited.length === 0) continue;
      rows.push({
        key: `survey:${survey.slug}`,
        cells: [
          t('report:methods.institution_form'),
          t('report:t4_institutions'),
          dateRange(ctx, first, last),
          t('report:t4_answered_of', { answered: record?.groups.total.answered ?? 0, invited: record?.groups.total.invited ?? 0 }),
          '',
        ],
      });
      continue;
    }
    for (const channel of RESPONSE_CHANNELS) {
      const n = counts.complete.get(channel) ?? 0;
      if (n === 0) continue;
      rows.push({
        key: `survey:${survey.slug}:${channel}`,
        cells: [
          t(`report:methods.survey_${channel}`),
          `${ctx.words.text(survey.title)} (${t(`admin:audiences.${survey.audience}`)})`,
          dateRange(ctx, counts.fieldwork.get(channel)?.firstAt ?? null, counts.fieldwork.get(channel)?.lastAt ?? null),
          n,
          mahallesOf(ctx, survey),
        ],
      });
    }
  }
  const meetings = ctx.data.meetings.meetings;
  if (meetings.length > 0) {
    const starts = meetings.map((m) => m.starts_at).sort();
    rows.push({
      key: 'meetings',
      cells: [
        t('report:methods.meeting', { count: meetings.length }),
        t('report:t4_residents'),
        dateRange(ctx, starts[0]!, starts.at(-1)!),
        meetings.reduce((s, m) => s + m.attendance.attended, 0),
        nameList([...new Set(meetings.flatMap((m) => m.mahalles))].map((id) => ctx.mahalle(id))),
      ],
    });
  }
  for (const activity of ctx.data.activities) {
    rows.push({
      key: `activity:${activity.id}`,
      cells: [
        `${t(`report:methods.${activity.method}`)}: ${activity.title}`,
        activity.targetGroup,
        dateRange(ctx, dayIso(activity.startsOn), activity.endsOn ? dayIso(activity.endsOn) : null),
        activity.participants,
        nameList(activity.mahalleIds.map((id) => ctx.mahalle(id))),
      ],
    });
  }
  return table(
    'T4',
    t('report:t4'),
    columns(ctx, [['col.method', 'text'], ['col.target_group', 'text'], ['col.dates', 'text'], ['col.participants', 'count'], ['col.mahalles', 'text']]),
    rows,
    { empty: t('report:empty.no_activities') },
  );
}

/**
 * When the answers came in, channel by channel (first to last counted response), not the window
 * the survey was open: "Çevrim içi: 03.11.2026 – 20.11.2026; Yüz yüze anket: 05.11.2026".
 * Channels with the same dates share one entry.
 */
function fieldworkDates(ctx: Context, counts: SurveyCounts): string {
  const byRange = new Map<string, string[]>();
  for (const channel of RESPONSE_CHANNELS) {
    const dates = counts.fieldwork.get(channel);
    if (!dates) continue;
    const range = dateRange(ctx, dates.firstAt, dates.lastAt);
    byRange.set(range, [...(byRange.get(range) ?? []), ctx.words.t(`admin:channels.${channel}`)]);
  }
  if (byRange.size === 0) return '–';
  return [...byRange].map(([range, channels]) => `${channels.join(', ')}: ${range}`).join('; ');
}

/** How many responses the tables leave out, and why (test, duplicate, flagged by the quality checks…). */
function excludedNote(ctx: Context): string {
  const { t } = ctx.words;
  const byReason = new Map<string, number>();
  for (const { counts } of ctx.data.surveys) {
    for (const [reason, n] of counts.excludedByReason) byReason.set(reason, (byReason.get(reason) ?? 0) + n);
  }
  const excluded = ctx.data.surveys.reduce((s, f) => s + f.counts.excluded, 0);
  if (excluded === 0) return t('report:notes.t5', { count: excluded });
  return t('report:notes.t5_reasons', { count: excluded, reasons: exclusionReasonsText(byReason, t) });
}

function surveyTable(ctx: Context): ReportTable {
  const { t } = ctx.words;
  const population = ctx.data.municipality.mahalles.reduce((s, m) => s + m.population, 0);
  return table(
    'T5',
    t('report:t5'),
    columns(ctx, [
      ['col.survey', 'text'],
      ['col.audience', 'text'],
      ['col.dates', 'text'],
      ['col.channels', 'text'],
      ['col.questions', 'count'],
      ['col.complete', 'count'],
      ['col.partial', 'count'],
      ['col.sampling', 'text'],
      ['col.margin', 'text'],
    ]),
    ctx.data.surveys.map(({ survey, counts }) => {
      const complete = [...counts.complete.values()].reduce((a, b) => a + b, 0);
      const sampling = ctx.data.settings.sampling[survey.slug] ?? 'convenience';
      const margin = survey.audience === 'citizen' && PROBABILITY_SAMPLES.includes(sampling) ? marginOfError(complete, population) : null;
      return {
        key: survey.slug,
        cells: [
          ctx.words.text(survey.title),
          t(`admin:audiences.${survey.audience}`),
          fieldworkDates(ctx, counts),
          RESPONSE_CHANNELS.filter((c) => counts.complete.has(c)).map((c) => t(`admin:channels.${c}`)).join(', '),
          allQuestions(survey).length,
          complete,
          counts.partial,
          t(`report:sampling.${sampling}`),
          margin === null ? t('report:not_applicable') : `±${ctx.words.formatPercent(margin)}`,
        ],
      };
    }),
    {
      empty: t('report:empty.no_surveys'),
      notes: [excludedNote(ctx)],
    },
  );
}

/** The labels an institution gave to a role's question: ranked items, chosen options, a text. */
function answerText(ctx: Context, survey: Survey, answers: { question_id: string; option_id: string | null; text: string | null; rank: number | null }[], role: Question['role']): string {
  const question = allQuestions(survey).find((q) => q.role === role);
  if (!question) return '';
  const mine = answers.filter((a) => a.question_id === question.id);
  const words = { t: ctx.words.t, text: ctx.words.text };
  switch (question.kind) {
    case 'ranking':
      return mine
        .filter((a) => a.rank !== null && a.option_id !== null)
        .sort((a, b) => a.rank! - b.rank!)
        .map((a) => `${a.rank}. ${a.option_id === OTHER_OPTION_ID && a.text ? excerpt(maskPersonalData(a.text), 120) : optionLabel(question.items, a.option_id!, words)}`)
        .join('; ');
    case 'multiple_choice':
    case 'single_choice':
    case 'select':
      return mine
        .filter((a) => a.option_id !== null)
        .map((a) => (a.option_id === OTHER_OPTION_ID && a.text ? excerpt(maskPersonalData(a.text), 120) : optionLabel(question.options, a.option_id!, words)))
        .join('; ');
    // Listed, not a default, so that a new kind has to say how its answer reads here.
    case 'short_text':
    case 'long_text':
    case 'likert_matrix':
    case 'rating':
    case 'number':
    case 'date':
      return mine.map((a) => (a.text ? excerpt(maskPersonalData(a.text)) : '')).join(' ');
    default:
      return assertNever(question);
  }
}

function institutionTables(ctx: Context): ReportTable[] {
  const { t } = ctx.words;
  const attended = new Set(ctx.data.activities.flatMap((a) => a.stakeholderIds));
  const rows: ReportRow[] = [];
  const seen = new Set<number>();
  // One row per institution: asked through several forms, its latest answer speaks for it.
  const best = new Map<number, { survey: Survey; record: InstitutionRecord; answers: InstitutionAnswers['answers'] }>();
  for (const { survey, records, answers } of ctx.data.institutions) {
    for (const record of records) {
      if (record.status === 'revoked') continue;
      const current = best.get(record.stakeholderId);
      const better =
        !current ||
        (record.status === 'answered' && (current.record.status !== 'answered' || record.answeredAt! > current.record.answeredAt!)) ||
        (record.status !== 'answered' && current.record.status !== 'answered' && record.invitedAt < current.record.invitedAt);
      if (better) best.set(record.stakeholderId, { survey, record, answers });
    }
  }
  for (const { survey, record, answers } of best.values()) {
    seen.add(record.stakeholderId);
    const own = record.responseId !== null ? (answers.get(record.responseId) ?? []) : [];
    const status = record.status === 'answered' ? 'answered' : attended.has(record.stakeholderId) ? 'attended' : 'not_answered';
    rows.push({
      key: String(record.stakeholderId),
      cells: [
        t(`stakeholders:groups.${record.group}`),
        record.name,
        record.selfRegistered ? t('report:t14_self') : ctx.words.formatDate(record.invitedAt),
        t(`report:status.${status}`),
        mainPointsOf(ctx, survey, own),
        answerText(ctx, survey, own, 'priority'),
        answerText(ctx, survey, own, 'expectation'),
        answerText(ctx, survey, own, 'cooperation'),
      ],
    });
  }
  // Institutions that took part in a workshop or an interview without being sent the form.
  for (const stakeholder of ctx.data.stakeholders) {
    if (!attended.has(stakeholder.id) || seen.has(stakeholder.id)) continue;
    seen.add(stakeholder.id);
    rows.push({ key: String(stakeholder.id), cells: [t(`stakeholders:groups.${stakeholder.group}`), stakeholder.name, '', t('report:status.attended'), '', '', '', ''] });
  }
  const groupIndex = (label: Cell) => STAKEHOLDER_GROUPS.findIndex((g) => t(`stakeholders:groups.${g}`) === label);
  rows.sort((a, b) => groupIndex(a.cells[0]!) - groupIndex(b.cells[0]!) || compareTurkish(String(a.cells[1]), String(b.cells[1])));

  const t14 = table(
    'T14',
    t('report:t14'),
    columns(ctx, [
      ['col.institution_type', 'text'],
      ['col.institution', 'text'],
      ['col.invited_on', 'text'],
      ['col.status', 'text'],
      ['col.main_points', 'text'],
      ['col.main_findings', 'text'],
      ['col.expectations', 'text'],
      ['col.cooperation', 'text'],
    ]),
    rows,
    { empty: t('report:empty.no_institutions'), notes: [t('report:notes.t14')] },
  );

  // Invited vs answered per institution type, over every institution form in the report.
  const byGroup = new Map<string, { invited: number; answered: number; self: number }>();
  for (const { groups } of ctx.data.institutions) {
    for (const g of groups.groups) {
      const row = byGroup.get(g.group) ?? { invited: 0, answered: 0, self: 0 };
      row.invited += g.invited;
      row.answered += g.answered;
      row.self += g.selfAnswered;
      byGroup.set(g.group, row);
    }
  }
  const groups = STAKEHOLDER_GROUPS.filter((g) => byGroup.has(g));
  const sum = (pick: (r: { invited: number; answered: number; self: number }) => number) => [...byGroup.values()].reduce((s, r) => s + pick(r), 0);
  const t14b = table(
    'T14b',
    t('report:t14b'),
    columns(ctx, [['col.institution_type', 'text'], ['col.invited', 'count'], ['col.answered', 'count'], ['col.response_rate', 'percent'], ['col.self_answered', 'count']]),
    groups.map((g) => {
      const r = byGroup.get(g)!;
      return { key: g, cells: [t(`stakeholders:groups.${g}`), r.invited, r.answered, percentOf(r.answered, r.invited), r.self] };
    }),
    {
      total: groups.length > 0 ? [t('report:total'), sum((r) => r.invited), sum((r) => r.answered), percentOf(sum((r) => r.answered), sum((r) => r.invited)), sum((r) => r.self)] : undefined,
      empty: t('report:empty.no_institutions'),
    },
  );
  return [t14, t14b, institutionTypeSummary(ctx)];
}

function fromOutcome(ctx: Context, id: TableId, title: string, outcome: OutcomeTable, keys: string[]): ReportTable {
  return table(
    id,
    title,
    outcome.columns.map((c) => ({ label: c.label, type: c.type === 'label' ? 'text' : c.type })),
    outcome.rows.map((cells, i) => ({ key: keys[i] ?? foldTurkish(String(cells[0])), cells })),
    { total: outcome.total, empty: ctx.words.t('report:empty.no_meetings'), notes: outcome.notes },
  );
}

function meetingTables(ctx: Context): ReportTable[] {
  const words = { t: ctx.words.t, language: ctx.words.language, municipality: ctx.data.municipality, formatDate: ctx.words.formatDate, formatTime: ctx.words.formatTime };
  const outcomes = ctx.data.meetings;
  const t15 = fromOutcome(ctx, 'T15', ctx.words.t('report:t15'), meetingsTable(outcomes, words), outcomes.meetings.map((m) => String(m.id)));
  const byArea = areaByMeetingTable(outcomes, words);
  const areaKeys = byArea.rows.map((cells) => ctx.data.municipality.activityAreas.find((a) => ctx.area(a.id) === cells[0])?.id ?? foldTurkish(String(cells[0])));
  const t15b = fromOutcome(ctx, 'T15b', ctx.words.t('report:t15b'), outcomes.meetings.length === 0 ? { ...byArea, rows: [], total: undefined } : byArea, areaKeys);
  return [t15, t15b];
}

export function methodBlocks(ctx: Context): ReportBlock[] {
  return [activityTable(ctx), surveyTable(ctx)];
}

export function institutionBlocks(ctx: Context): ReportBlock[] {
  return institutionTables(ctx);
}

export function meetingBlocks(ctx: Context): ReportBlock[] {
  return meetingTables(ctx);
}

/** T17, after every other table has its number: the evidence cites "Tablo n: row". */
export function findingsTable(ctx: Context, tables: ReportTable[]): ReportTable {
  const { t } = ctx.words;
  const cite = (tableKey: string, rowKey: string) => {
    const cited = tables.find((tb) => tb.id === tableKey);
    if (!cited) return null;
    const row = cited.rows.find((r) => r.key === rowKey);
    const label = row ? String(row.cells.find((c) => typeof c === 'string' && c !== '') ?? '') : t('report:row_gone');
    return { number: cited.number, parts: [refTo(ctx, cited), ` (${label})`] };
  };
  // The table's number is a reference, so a DOCX pasted into the plan renumbers it with the caption.
  const evidence = (f: (typeof ctx.data.findings)[number]): RichText =>
    f.evidence
      .map((e) => cite(e.tableKey, e.rowKey))
      .filter((c) => c !== null)
      .sort((a, b) => a.number - b.number)
      .flatMap((c, i) => (i === 0 ? c.parts : ['; ', ...c.parts]));
  return table(
    'T17',
    t('report:t17'),
    columns(ctx, [['col.no', 'count'], ['col.finding', 'text'], ['col.evidence', 'text'], ['col.need', 'text'], ['col.area', 'text']]),
    ctx.data.findings.map((f, i) => ({
      key: String(f.id),
      ...withRefs([i + 1, f.finding, evidence(f), f.need, ctx.area(f.areaId)]),
    })),
    { empty: t('report:empty.no_findings') },
  );
}

