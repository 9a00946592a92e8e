// T16, the stakeholder-sourced GZFT matrix, and the institutions' main points for T14 and T14c.
// The candidates come from every source (institution answers line by line, meeting requests marked
// with a GZFT kind, the citizen survey's coded themes and its best and worst rated areas and top
// priorities); only themes and the items a planner made of reviewed candidates enter the matrix.
import { STAKEHOLDER_GROUPS } from '../../stakeholders';
import { allQuestions, OTHER_OPTION_ID, type AnswerRow, type Survey } from '../../surveys';
import { compareTurkish } from '../../platform/text';
import { maskPersonalData } from '../coding';
import { SWOT_KINDS, type SwotKind } from '../coding/coding.table';
import { optionLabel } from '../result-tables';
import type { ReportBlock, ReportRow, ReportTable } from './report-model';
import { columns, excerpt, percentOf, table, type Context } from './report-context';
import { prioritiesShown, satisfactionShown } from './survey-tables';
import {
  candidateKey,
  countSources,
  institutionSwot,
  statementsOf,
  swotEntries,
  type Candidate,
  type InstitutionSwotAnswer,
  type SwotEntry,
  type SwotReviewState,
  type ThemeMention,
} from './swot-candidates';

export const ROLE_KIND: Record<string, SwotKind> = { 'swot.strength': 'strength', 'swot.weakness': 'weakness', 'swot.opportunity': 'opportunity', 'swot.threat': 'threat' };

/** How many of the citizen survey's best and worst rated areas, and top priorities, are offered. */
const CITIZEN_AREAS = 2;
const CITIZEN_PRIORITIES = 3;

const cleanLine = (line: string) => excerpt(maskPersonalData(line), 200);

/** The answers to the swot.* questions of every institution that answered, with their themes. */
function institutionAnswers(ctx: Context): InstitutionSwotAnswer[] {
  const out: InstitutionSwotAnswer[] = [];
  for (const { survey, records, answers, codes, segments, coding } of ctx.data.institutions) {
    const roles = new Map(allQuestions(survey).filter((q) => q.role !== undefined && q.role in ROLE_KIND).map((q) => [q.id, ROLE_KIND[q.role!]!]));
    const themes = new Map(coding.themes.map((theme) => [theme.id, theme]));
    for (const record of records) {
      if (record.status !== 'answered' || record.responseId === null) continue;
      for (const answer of answers.get(record.responseId) ?? []) {
        const roleKind = roles.get(answer.question_id);
        if (!roleKind || !answer.text) continue;
        const coded = codes.get(answer.id);
        out.push({
          answerId: answer.id,
          stakeholderId: record.stakeholderId,
          group: record.group,
          roleKind,
          text: answer.text,
          themes: coded === undefined ? null : coded.map((id) => themes.get(id)).filter((theme) => theme !== undefined),
          ...(segments.has(answer.id)
            ? { parts: segments.get(answer.id)!.map((part) => ({ text: part.text, themes: part.reviewed ? part.themeIds.map((id) => themes.get(id)).filter((theme) => theme !== undefined) : null })) }
            : {}),
        });
      }
    }
  }
  return out;
}

/** The citizen survey's best and worst rated areas (T10's satisfaction rate) and top priorities (T11). */
function citizenCandidates(ctx: Context): Candidate[] {
  const citizen = ctx.data.citizen;
  if (!citizen) return [];
  const { t } = ctx.words;
  const words = { t, text: ctx.words.text };
  const rate = (value: number) => ctx.words.formatPercent(value);
  const candidates: Candidate[] = [];
  const resultOf = (role: string) => {
    const question = allQuestions(citizen.survey).find((q) => q.role === role);
    return question ? citizen.results.find((r) => r.question.id === question.id) : undefined;
  };
  const satisfaction = resultOf('satisfaction');
  if (satisfaction?.kind === 'likert') {
    const q = satisfaction.question;
    const top = new Set(q.scale.slice(-2).map((p) => p.value));
    const bottom = new Set(q.scale.slice(0, 2).map((p) => p.value));
    // The areas T10 ranks, by its rank: a hidden rate is neither quoted nor used to choose.
    const rated = satisfactionShown(ctx, satisfaction)
      .filter((s) => s.rank !== null)
      .sort((a, b) => a.rank! - b.rank!);
    const high = rated.slice(0, CITIZEN_AREAS);
    const low = rated.slice(Math.max(high.length, rated.length - CITIZEN_AREAS)).reverse();
    const offer = ({ row, hidden, rate: shownRate }: (typeof rated)[number], kind: SwotKind, which: 'high' | 'low') => {
      const points = (which === 'high' ? top : bottom);
      // The respondents the item stands for are the bottom or top two answers' counts: not when T10 hides one of them.
      if (row.points.some((p, i) => points.has(p.value) && hidden[i])) return;
      const area = optionLabel(q.rows, row.id, words);
      const text = t(`report:swot_candidates.satisfaction_${which}`, { area });
      const respondents = row.points.filter((p) => points.has(p.value)).reduce((s, p) => s + p.count, 0);
      const detail = t('report:swot_candidates.satisfaction_detail', { rate: rate(shownRate!), n: ctx.words.formatCell(row.n, 'count') });
      candidates.push({ key: candidateKey(['cit', `sat-${which}`, row.id], text), kind, text, source: { kind: 'citizen', respondents, detail } });
    };
    for (const shown of high) offer(shown, 'strength', 'high');
    for (const shown of low) offer(shown, 'weakness', 'low');
  }
  const priority = resultOf('priority');
  if (priority?.kind === 'ranking') {
    // T11's top priorities as it shows them: an item whose score and rank it hides is not offered.
    const ranked = prioritiesShown(ctx, priority)
      // "Diğer" is not an area: what people meant by it is in their texts, not in the item.
      .filter((s) => s.item.chosen > 0 && !s.scoreHidden && s.item.id !== OTHER_OPTION_ID)
      .slice(0, CITIZEN_PRIORITIES)
      .map((s) => s.item);
    for (const item of ranked) {
      const area = optionLabel(priority.question.items, item.id, words);
      const text = t('report:swot_candidates.priority', { area });
      const detail = t('report:swot_candidates.priority_detail', { rank: item.rank, percent: rate(item.chosenPercent) });
      candidates.push({ key: candidateKey(['cit', 'priority', item.id], text), kind: 'opportunity', text, source: { kind: 'citizen', respondents: item.chosen, detail } });
    }
  }
  return candidates;
}

/** Every candidate statement and theme mention of the report's data, before the planner's review. */
export function swotSources(ctx: Context): { candidates: Candidate[]; mentions: ThemeMention[] } {
  const institutions = institutionSwot(institutionAnswers(ctx), cleanLine);
  const meetings: Candidate[] = ctx.data.meetings.requests
    .filter((request) => request.gzft_kind !== null)
    .map((request) => {
      const text = cleanLine(request.text);
      return { key: candidateKey(['meet', request.id], text), kind: request.gzft_kind!, text, source: { kind: 'meeting', requestId: request.id } };
    });
  const mentions = [...institutions.mentions];
  const citizen = ctx.data.citizen;
  if (citizen) {
    for (const theme of citizen.coding.themes) {
      const n = citizen.coding.counts.get(theme.id) ?? 0;
      if (theme.swotKind && n > 0) mentions.push({ kind: theme.swotKind, name: theme.name, source: { kind: 'citizen', respondents: n } });
    }
  }
  return { candidates: [...institutions.candidates, ...meetings, ...citizenCandidates(ctx)], mentions };
}

/** The candidates with the planner's decisions applied: T16's entries, and what is reviewed and pending. */
export function swotState(ctx: Context): SwotReviewState {
  const { candidates, mentions } = swotSources(ctx);
  return swotEntries(candidates, mentions, ctx.data.swot.reviews, ctx.data.swot.items);
}

const groupLabel = (ctx: Context, group: string) => ctx.words.t(`stakeholders:groups.${group}`);
const groupOrder = (group: string) => STAKEHOLDER_GROUPS.indexOf(group as (typeof STAKEHOLDER_GROUPS)[number]);

/**
 * How widely an item was named: kinds of sources (each institution type, the citizen survey, the
 * meetings), institutions and meeting requests, and citizens (0 when suppressed).
 */
export interface SwotFacts {
  kinds: number;
  stakeholders: number;
  respondents: number;
}

/** The count column and the kinds of sources of an entry, with citizens under the suppression rule. */
export function entryFigures(ctx: Context, entry: SwotEntry): { count: number | string; kinds: string; sortCount: number; facts: SwotFacts } {
  const { t } = ctx.words;
  const c = countSources(entry.sources);
  // Citizens' counts follow the suppression rule of T13, where the same themes are counted: a small
  // one is left out of the sum (which would give it away) and said as "<5" beside the survey.
  const small = ctx.isSmall(c.citizens);
  const count = c.institutions + c.meetings + (small ? 0 : c.citizens);
  const kinds = [...c.groups].sort((a, b) => groupOrder(a) - groupOrder(b)).map((g) => groupLabel(ctx, g));
  if (c.citizens > 0) {
    const figures = [...(small ? [t('report:swot_candidates.respondents', { n: ctx.suppressed })] : []), ...c.details];
    kinds.push(`${t('report:sources.citizen_survey')}${figures.length > 0 ? ` (${figures.join('; ')})` : ''}`);
  }
  if (c.meetings > 0) kinds.push(t('report:sources.meetings'));
  const facts = { kinds: kinds.length, stakeholders: c.institutions + c.meetings, respondents: small ? 0 : c.citizens };
  return { count: count === 0 && small ? ctx.suppressed : count, kinds: kinds.join(', '), sortCount: count, facts };
}

function swotTable(ctx: Context): ReportTable {
  const { t } = ctx.words;
  const state = swotState(ctx);
  const entries = state.entries
    .map((entry) => ({ entry, ...entryFigures(ctx, entry) }))
    // Within a quadrant, items named by more kinds of sources first: a point raised by a chamber, an
    // NGO and a meeting weighs more than one raised often by one kind. Then by the number shown.
    .sort(
      (a, b) =>
        SWOT_KINDS.indexOf(a.entry.kind) - SWOT_KINDS.indexOf(b.entry.kind) ||
        b.facts.kinds - a.facts.kinds ||
        b.sortCount - a.sortCount ||
        compareTurkish(a.entry.text, b.entry.text),
    );
  const rows = entries.map(({ entry, count, kinds, facts }, i): ReportRow => {
    const row: ReportRow = { key: entry.key, cells: [entry.text, count, kinds], facts: { ...facts } };
    if (i === 0 || entries[i - 1]!.entry.kind !== entry.kind) row.group = t(`report:swot_groups.${entry.kind}`);
    return row;
  });
  const gzft = institutionAnswers(ctx);
  const gzftCoded = gzft.filter((answer) => answer.themes !== null).length;
  const t16 = table('T16', t('report:t16'), columns(ctx, [['col.swot_item', 'text'], ['col.source_count', 'count'], ['col.source_kinds', 'text']]), rows, {
    empty: t('report:empty.no_swot'),
    notes: [
      t('report:notes.t16'),
      // No sentence about zero: with nothing pending the note says every candidate was reviewed.
      state.pending.length === 0
        ? t('report:notes.t16_all_reviewed', { count: state.reviewed.length })
        : t('report:notes.t16_review', { reviewed: state.reviewed.length, count: state.reviewed.length + state.pending.length, pending: state.pending.length }),
      ...(gzft.length > 0
        ? [t('report:notes.t16_coded', { count: gzft.length, coded: gzftCoded, share: ctx.words.formatPercent(percentOf(gzftCoded, gzft.length) ?? 0) })]
        : []),
    ],
  });
  // The four quadrants plans draw, in their reading order (G Z / F T), empty ones too.
  t16.quadrants = SWOT_KINDS.map((kind) => t(`report:swot_groups.${kind}`));
  t16.groupColumn = t('report:col.swot_kind');
  return t16;
}

export function swotBlocks(ctx: Context): ReportBlock[] {
  return [swotTable(ctx)];
}

/** A quadrant's line in T14: a printed line or two of a narrow column, not the whole answer. */
const MAIN_POINT_LENGTH = 80;

/** T14: an institution's GZFT answers, one line per quadrant ("G: …", "Z: …"), masked and shortened. */
export function mainPointsOf(ctx: Context, survey: Survey, answers: Pick<AnswerRow, 'question_id' | 'text'>[]): string {
  const lines: string[] = [];
  for (const kind of SWOT_KINDS) {
    const question = allQuestions(survey).find((q) => q.role !== undefined && ROLE_KIND[q.role] === kind);
    const text = question ? answers.find((a) => a.question_id === question.id)?.text : undefined;
    if (!text) continue;
    const statements = statementsOf(text);
    if (statements.length === 0) continue;
    lines.push(`${ctx.words.t(`report:swot_short.${kind}`)}: ${excerpt(maskPersonalData(statements.join('; ')), MAIN_POINT_LENGTH)}`);
  }
  return lines.join('\n');
}

/** How many items of a quadrant T14c names per institution type. */
const TOP_PER_TYPE = 3;

/**
 * T14c: per institution type, the GZFT items its institutions named most (themes and reviewed
 * statements, as in T16), with how many of its institutions named each: the evidence plans cite that
 * the institutions' opinions were taken (Law 5393 art. 41).
 */
export function institutionTypeSummary(ctx: Context): ReportTable {
  const { t } = ctx.words;
  const state = swotState(ctx);
  const answered = new Map<string, Set<number>>();
  for (const { records } of ctx.data.institutions) {
    for (const record of records) {
      if (record.status !== 'answered') continue;
      answered.set(record.group, (answered.get(record.group) ?? new Set()).add(record.stakeholderId));
    }
  }
  const groups = STAKEHOLDER_GROUPS.filter((g) => answered.has(g));
  const rows = groups.map((group): ReportRow => {
    const cells = SWOT_KINDS.map((kind) => {
      const named = state.entries
        .filter((entry) => entry.kind === kind)
        .map((entry) => ({ entry, n: new Set(entry.sources.flatMap((s) => (s.kind === 'institution' && s.group === group ? [s.stakeholderId] : []))).size }))
        .filter((x) => x.n > 0)
        .sort((a, b) => b.n - a.n || compareTurkish(a.entry.text, b.entry.text))
        .slice(0, TOP_PER_TYPE);
      return named.map((x) => `${x.entry.text} (${x.n})`).join('; ');
    });
    return { key: group, cells: [groupLabel(ctx, group), answered.get(group)!.size, ...cells] };
  });
  return table(
    'T14c',
    t('report:t14c'),
    columns(ctx, [['col.institution_type', 'text'], ['col.answered', 'count'], ['col.strengths', 'text'], ['col.weaknesses', 'text'], ['col.opportunities', 'text'], ['col.threats', 'text']]),
    rows,
    { empty: t('report:empty.no_institution_answers'), notes: [t('report:notes.t14c')] },
  );
}
