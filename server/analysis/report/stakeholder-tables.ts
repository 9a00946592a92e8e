// T1–T3 and F1 from the stakeholder register: who the stakeholders are, how they are prioritised
// (önem × etki, the Rehber's Tablo 4) and which activity areas concern them (Tablo 5).
import { byGroup, byPriority, category, priority, STAKEHOLDER_GROUPS, stakeholderMatrix } from '../../stakeholders';
import type { ReportBlock, ReportFigure } from './report-model';
import { columns, table, type Context } from './report-context';

export function stakeholderBlocks(ctx: Context): ReportBlock[] {
  const { t } = ctx.words;
  const live = ctx.data.stakeholders.filter((s) => !s.archived);
  const listed = [...live].sort(byGroup(STAKEHOLDER_GROUPS));
  const areas = ctx.data.municipality.activityAreas;
  const empty = t('report:empty.no_stakeholders');

  const t1 = table(
    'T1',
    t('report:t1'),
    columns(ctx, [['col.no', 'count'], ['col.stakeholder', 'text'], ['col.group', 'text'], ['col.scope', 'text'], ['col.type', 'text'], ['col.areas', 'text'], ['col.reason', 'text']]),
    listed.map((s, i) => ({
      key: String(s.id),
      cells: [
        i + 1,
        s.name,
        t(`stakeholders:groups.${s.group}`),
        t(`stakeholders:scopes.${s.scope}`),
        s.type ? t(`stakeholders:types.${s.type}`) : '',
        areas.filter((a) => s.areas.includes(a.id)).map((a) => ctx.words.text(a.name)).join('; '),
        s.reason ?? '',
      ],
    })),
    { empty },
  );

  const threshold = ctx.data.threshold;
  const ranked = [...live].sort(byPriority);
  const t2 = table(
    'T2',
    t('report:t2'),
    columns(ctx, [['col.no', 'count'], ['col.stakeholder', 'text'], ['col.scope', 'text'], ['col.importance', 'count'], ['col.influence', 'count'], ['col.priority', 'count'], ['col.category', 'text']]),
    ranked.map((s, i) => ({
      key: String(s.id),
      cells: [i + 1, s.name, t(`stakeholders:scopes.${s.scope}`), s.importance, s.influence, priority(s.importance, s.influence), t(`stakeholders:categories.${category(s.importance, s.influence, threshold)}`)],
    })),
    { empty, notes: [t('report:notes.t2', { threshold })] },
  );

  const f1: ReportFigure = {
    kind: 'figure',
    id: 'F1',
    number: 0,
    title: t('report:f1'),
    description: t('report:f1_description'),
    // The register's analysis page draws the same figure from the same function.
    data: live.length === 0 ? null : stakeholderMatrix(live, threshold, t, ctx.words.locale),
    empty,
  };

  // Sixteen area names side by side break mid-word even on a landscape page: the columns are
  // numbered and the legend under the table names them, the same on the page, in print and in Word.
  const t3 = table(
    'T3',
    t('report:t3'),
    [{ label: t('report:col.stakeholder'), type: 'text' }, ...areas.map((_, i) => ({ label: String(i + 1), type: 'text' as const }))],
    listed.map((s) => ({ key: String(s.id), cells: [s.name, ...areas.map((a) => (s.areas.includes(a.id) ? 'X' : ''))] })),
    { empty, notes: areas.length > 0 ? [t('report:notes.t3', { legend: areas.map((a, i) => `${i + 1} = ${ctx.words.text(a.name)}`).join('; ') })] : [] },
  );
  return [t1, t2, f1, t3];
}
