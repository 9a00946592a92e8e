// Builds the external stakeholder analysis section (docs/domain.md §5) from the loaded data: sections,
// the introduction written from templates filled with the numbers, and the tables and figures
// numbered in order. Pure.
import { RESPONSE_CHANNELS } from '../../surveys';
import { plainText, type Report, type ReportBlock, type ReportSection, type ReportTable, type RichText } from './report-model';
import { contextOf, dayIso, percentOf, refTo, translateWithRefs, type Context } from './report-context';
import type { ReportData } from './report-data';
import type { ReportWords } from './report-words';
import { findingsTable, institutionBlocks, meetingBlocks, methodBlocks } from './consultation-tables';
import { swotBlocks } from './swot-tables';
import { stakeholderBlocks } from './stakeholder-tables';
import { surveyBlocks } from './survey-tables';

function introduction(ctx: Context, methods: string[], methodsTable: ReportTable): { paragraphs: string[]; rich: Record<number, RichText> } {
  const { t } = ctx.words;
  const { data } = ctx;
  const period = `${data.settings.planStart}-${data.settings.planEnd}`;
  const paragraphs = [t('report:intro.legal', { municipality: data.settings.municipalityName, period })];
  const rich: Record<number, RichText> = {};
  if (methods.length > 0) {
    rich[paragraphs.length] = translateWithRefs(ctx, 'report:intro.methods', { methods: methods.join(', ') }, { table: refTo(ctx, methodsTable) });
    paragraphs.push(plainText(rich[paragraphs.length]!));
  }

  const dates = [
    ...data.surveys.flatMap((s) => [s.counts.firstAt, s.counts.lastAt]),
    ...data.institutions.flatMap((i) => i.records.flatMap((r) => [r.invitedAt, r.answeredAt])),
    ...data.meetings.meetings.map((m) => m.starts_at),
    ...data.activities.flatMap((a) => [dayIso(a.startsOn), a.endsOn ? dayIso(a.endsOn) : null]),
  ]
    .filter((d): d is string => d !== null)
    .sort();
  if (dates.length > 0) paragraphs.push(t('report:intro.dates', { from: ctx.words.formatDate(dates[0]!), to: ctx.words.formatDate(dates.at(-1)!) }));

  // Numbers go in as numbers: the report's translator writes them as the tables do (1.500) and
  // `count` still picks the plural form. A sentence about nothing is left out.
  for (const { survey, counts } of data.surveys) {
    if (survey.audience === 'institution') continue;
    const total = [...counts.complete.values()].reduce((a, b) => a + b, 0);
    if (total === 0) continue;
    const channels = RESPONSE_CHANNELS.filter((c) => counts.complete.has(c))
      .map((c) => t('report:intro.channel', { channel: t(`admin:channels.${c}`), count: counts.complete.get(c)! }))
      .join(', ');
    paragraphs.push(t('report:intro.survey', { survey: ctx.words.text(survey.title), count: total, channels }));
  }
  for (const { groups } of data.institutions) {
    const { invited, answered, selfAnswered } = groups.total;
    const sentences = [];
    if (invited > 0) sentences.push(t('report:intro.institutions', { count: invited, answered, rate: ctx.words.formatPercent(percentOf(answered, invited) ?? 0) }));
    if (selfAnswered > 0) sentences.push(t('report:intro.institutions_self', { count: selfAnswered }));
    if (sentences.length > 0) paragraphs.push(sentences.join(' '));
  }
  const meetings = data.meetings.meetings;
  if (meetings.length > 0) {
    const counted = meetings.filter((m) => m.attendance.headCount !== null);
    const attendees = meetings.reduce((s, m) => s + m.attendance.attended, 0);
    const people = counted.reduce((s, m) => s + m.attendance.headCount!, 0);
    const sentences = [t('report:intro.meetings', { count: meetings.length })];
    if (attendees > 0) sentences.push(t('report:intro.meetings_attendees', { count: attendees }));
    if (data.meetings.requests.length > 0) sentences.push(t('report:intro.meetings_requests', { count: data.meetings.requests.length }));
    // The head count is told apart: "attended" is always the people checked in, as in T4 and T15.
    if (people > 0) sentences.push(t('report:intro.meetings_head_count', { count: counted.length, people }));
    paragraphs.push(sentences.join(' '));
  }
  if (data.activities.length > 0) {
    const participants = data.activities.reduce((s, a) => s + a.participants, 0);
    paragraphs.push(
      participants > 0
        ? t('report:intro.activities', { count: data.activities.length, participants })
        : t('report:intro.activities_only', { count: data.activities.length }),
    );
  }
  paragraphs.push(t('report:intro.suppression', { threshold: data.settings.suppression }));
  return { paragraphs, rich };
}

export function buildReport(data: ReportData, words: ReportWords): Report {
  const ctx = contextOf(data, words);
  const { t } = words;
  const section = (id: string, blocks: ReportBlock[], paragraphs: string[] = []): ReportSection => ({ id, heading: t(`report:sections.${id}`), paragraphs, blocks });

  const methodsUsed = methodBlocks(ctx);
  const sections = [
    section('stakeholders', stakeholderBlocks(ctx), [t('report:text.stakeholders')]),
    section('methods', methodsUsed, [t('report:text.methods')]),
    section('citizens', surveyBlocks(ctx), [
      data.citizen ? t('report:text.citizens', { survey: words.text(data.citizen.survey.title), n: data.citizen.n }) : t('report:empty.no_citizen_survey'),
    ]),
    section('institutions', institutionBlocks(ctx), [t('report:text.institutions')]),
    section('meetings', meetingBlocks(ctx), [t('report:text.meetings')]),
    section('swot', swotBlocks(ctx), [t('report:text.swot')]),
  ];
  // Numbers in order of appearance; T17 cites the others, so it is built once they are numbered.
  // A section pasted after the plan's own tables starts at the number the planner set (default 1).
  let tables = data.settings.firstTable - 1;
  let figures = data.settings.firstFigure - 1;
  for (const block of sections.flatMap((s) => s.blocks)) block.number = block.kind === 'table' ? ++tables : ++figures;
  // The figures' numbers follow the report's language, wherever they are drawn.
  for (const block of sections.flatMap((s) => s.blocks)) if (block.kind === 'figure' && block.data) block.data.locale = words.locale;
  const numbered = sections.flatMap((s) => s.blocks.filter((b): b is ReportTable => b.kind === 'table'));
  const t17 = findingsTable(ctx, numbered);
  t17.number = ++tables;
  sections.push(section('findings', [t17], [t('report:text.findings')]));

  const methods = (methodsUsed[0] as ReportTable).rows.map((row) => String(row.cells[0]).split(':')[0]!);
  const intro = introduction(ctx, [...new Set(methods)], methodsUsed[0] as ReportTable);
  const introSection = { ...section('introduction', [], intro.paragraphs), richParagraphs: intro.rich };
  return {
    language: words.language,
    title: t('report:title'),
    subtitle: t('report:subtitle', { municipality: data.settings.municipalityName, period: `${data.settings.planStart}-${data.settings.planEnd}` }),
    generatedAt: data.now.toISOString(),
    sections: [introSection, ...sections],
    labels: { table: t('report:table_label'), figure: t('report:figure_label') },
  };
}
