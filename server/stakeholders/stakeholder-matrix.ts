// The etki/önem matrix (the report's F1) as figure data, built in one place for the register's
// analysis page and the report, so both draw the same figure: etki on x, önem on y, each point
// numbered by its row in the prioritisation table (T2), cut at the register's threshold.
import type { MatrixFigure } from '../analysis/report/figure-config';
import type { Translate } from '../platform/i18n/i18n';
import { byPriority } from './stakeholder-rules';

export function stakeholderMatrix(
  stakeholders: { name: string; importance: number; influence: number }[],
  threshold: number,
  t: Translate,
  locale: string,
): MatrixFigure {
  return {
    type: 'matrix',
    points: [...stakeholders].sort(byPriority).map((s, i) => ({ label: s.name, tag: String(i + 1), x: s.influence, y: s.importance })),
    threshold,
    axes: { x: t('stakeholders:analysis.axis_influence'), y: t('stakeholders:analysis.axis_importance') },
    quadrants: [t('stakeholders:categories.izle'), t('stakeholders:categories.cikarlarini_gozet'), t('stakeholders:categories.bilgilendir'), t('stakeholders:categories.birlikte_calis')],
    locale,
  };
}
