// The demo's GZFT review: what a planner does on /admin/report/swot with the demo's candidates, so
// the demo report's T16 holds reviewed items. Statements that say the same thing are merged into
// one item (their sources add up), one meeting request is moved to the quadrant it belongs in, and
// everything else is accepted as written. Goes through the review service, as the screen does.
import * as swotService from '../analysis/report/swot.service';
import { loadReportData } from '../analysis/report/report-data';
import { contextOf } from '../analysis/report/report-context';
import * as reportSettings from '../analysis/report/report-settings';
import { reportWords } from '../analysis/report/report-words';
import { swotSources } from '../analysis/report/swot-tables';
import { groupCandidates, swotEntries, type CandidateGroup } from '../analysis/report/swot-candidates';
import type { SwotKind } from '../analysis/coding/coding.table';
import type { Actor } from '../platform/audit/audit.repository';
import type { Db } from '../platform/db/connection';
import type { I18n } from '../platform/i18n/i18n';
import { foldTurkish } from '../platform/text';
import type { SurveyCatalog } from '../surveys';

/** Candidates are found by the start of their text, folded: the demo's answers are fixed. */
const COMBINED: { kind: SwotKind; text: string; starts: string[] }[] = [
  {
    kind: 'weakness',
    text: 'Yeşil alan ve çocuk parkının yetersizliği',
    starts: ['Kişi başına düşen yeşil alanın az olması', 'Mahallede çocuk parkı ve yeşil alan az'],
  },
  {
    kind: 'weakness',
    text: 'Kaldırımların bozuk ve erişilebilir olmaması',
    starts: ['Kaldırımların ve kamu binalarının erişilebilir olmaması', 'Ara sokaklarda asfalt ve kaldırım sorunları', "Belediye Caddesi'ndeki kaldırımlar dar ve bozuk"],
  },
  {
    kind: 'weakness',
    text: 'Ruhsat süreçlerinin uzun ve bürokratik olması',
    starts: ['Ruhsat süreçlerinin uzunluğu', 'Ruhsat ve denetim süreçlerinde bürokrasi'],
  },
  {
    kind: 'threat',
    text: 'İklim değişikliğine bağlı sel, kuraklık, aşırı sıcaklar ve orman yangınları',
    starts: ['İklim değişikliğine bağlı sel ve aşırı sıcaklar', 'İklim değişikliğine bağlı kuraklık ve orman yangınları', 'Çamlık ormanı çevresinde yangın riskine'],
  },
  // Said at a meeting as a threat; it is the municipality's own shortcoming.
  { kind: 'weakness', text: 'Afet toplanma alanlarının tabelalarla gösterilmemesi', starts: ['Toplanma alanlarını gösteren tabelalar yok'] },
];

export async function reviewDemoSwot(db: Db, catalog: SurveyCatalog, i18n: I18n, timeZone: string, actor: Actor, now: Date): Promise<number> {
  const settings = await reportSettings.load(db, catalog.municipality, catalog.surveys);
  const data = await loadReportData(db, catalog, settings, now);
  const { candidates, mentions } = swotSources(contextOf(data, reportWords(i18n, settings.language, timeZone)));
  // Loaded once: the decisions below take disjoint groups, so none of them makes the list stale.
  const { pending } = swotEntries(candidates, mentions, data.swot.reviews, data.swot.items);
  let groups = groupCandidates(pending);
  let reviewed = 0;
  const decide = async (input: swotService.ReviewInput) => {
    const outcome = await db.transaction().execute((trx) => swotService.review(trx, pending, input, actor, now));
    if (outcome.kind !== 'saved') throw new Error(`demo GZFT review refused: ${outcome.kind}`);
    reviewed += outcome.candidates;
    groups = groups.filter((g) => !input.groups.includes(g.key));
  };
  const startsWith = (group: CandidateGroup, start: string) => foldTurkish(group.text).startsWith(foldTurkish(start));
  for (const combined of COMBINED) {
    const chosen = groups.filter((g) => combined.starts.some((start) => startsWith(g, start)));
    if (chosen.length > 0) await decide({ action: 'combine', groups: chosen.map((g) => g.key), text: combined.text, kind: combined.kind, into: null });
  }
  if (groups.length > 0) await decide({ action: 'accept', groups: groups.map((g) => g.key) });
  return reviewed;
}
