// Findings drafted from the report's tables: plain reports in, drafts with their evidence out.
import { findingDrafts, evidenceLabels } from '../../../server/analysis/report/finding-drafts';
import type { Cell, ColumnType, Report, ReportTable, TableId } from '../../../server/analysis/report/report-model';
import { reportWords } from '../../../server/analysis/report/report-words';
import { createI18n } from '../../../server/platform/i18n/i18n';

const i18n = createI18n();
const tr = reportWords(i18n, 'tr', 'Europe/Istanbul');
const en = reportWords(i18n, 'en', 'Europe/Istanbul');

let number = 0;
function table(id: TableId, types: ColumnType[], rows: [string, ...Cell[]][]): ReportTable {
  return {
    kind: 'table',
    id,
    number: ++number,
    title: `Başlık ${id}`,
    columns: types.map((type, i) => ({ label: i === 1 && id === 'T16' ? 'Kaynak sayısı' : `k${i}`, type })),
    rows: rows.map(([key, ...cells]) => ({ key, cells })),
    notes: [],
  };
}
function report(...tables: ReportTable[]): Report {
  return {
    language: 'tr',
    title: 'Dış Paydaş Analizi',
    subtitle: '',
    generatedAt: '2026-12-07T00:00:00.000Z',
    sections: [{ id: 'all', heading: '', paragraphs: [], blocks: tables }],
    labels: { table: 'Tablo', figure: 'Grafik' },
  };
}

// T10: area, n, five points, "don't know", mean, satisfaction rate (top two), rank.
const T10_TYPES: ColumnType[] = ['text', 'count', 'percent', 'percent', 'percent', 'percent', 'percent', 'percent', 'decimal', 'percent', 'count'];
const t10Row = (key: string, name: string, rate: number | null, mean: number | null = 3.5): [string, ...Cell[]] => [key, name, 100, 10, 10, 10, 10, 10, 5, mean, rate, 1];
// T11: area, chosen, % of respondents, first choice, weighted score, rank.
const T11_TYPES: ColumnType[] = ['text', 'count', 'percent', 'count', 'count', 'count'];
const t11Row = (key: string, name: string, rank: number | null): [string, ...Cell[]] => [key, name, 50, 40.5, 20, 100, rank];

const AREAS = ['temizlik', 'parklar', 'yollar', 'kultur', 'spor'];

describe('findingDrafts', () => {
  describe('activity areas among the top priorities with below-median satisfaction', () => {
    const t10 = table('T10', T10_TYPES, [
      t10Row('temizlik', 'Temizlik', 55.2, 4.9),
      t10Row('parklar', 'Parklar', 70.1, 1.2),
      t10Row('yollar', 'Yollar', 40, 4.5),
      t10Row('kultur', 'Kültür', 80),
      t10Row('spor', 'Spor', 60),
      t10Row('gizli', 'Gizli', null),
    ]);
    const t11 = table('T11', T11_TYPES, [t11Row('yollar', 'Yollar', 1), t11Row('temizlik', 'Temizlik', 2), t11Row('parklar', 'Parklar', 3), t11Row('kultur', 'Kültür', 4), t11Row('spor', 'Spor', 5)]);

    it('offers each top-three priority whose satisfaction rate (not its mean) is under the median, citing T10 and T11', () => {
      // Rates 40, 55.2, 60, 70.1, 80 (the hidden row left out): the median is 60.
      const drafts = findingDrafts(report(t10, t11), tr, AREAS);
      expect(drafts.map((d) => d.key)).toEqual(['priority-low-satisfaction:yollar', 'priority-low-satisfaction:temizlik']);
      expect(drafts[0]).toEqual({
        key: 'priority-low-satisfaction:yollar',
        kind: 'priority-low-satisfaction',
        finding: 'Yollar, vatandaş anketinde öncelikli hizmet alanları arasında 1. sıradadır; ancak memnuniyet oranı (%40) hizmet alanlarının ortancasının (%60) altında kalmıştır.',
        need: 'Yollar alanında hizmet kalitesinin ve vatandaş memnuniyetinin artırılması.',
        areaId: 'yollar',
        evidence: [
          { tableKey: 'T10', rowKey: 'yollar' },
          { tableKey: 'T11', rowKey: 'yollar' },
        ],
      });
      expect(drafts[1]!.finding).toContain('(%55,2)');
    });

    it('takes the median of an even number of rates as the mean of the middle two', () => {
      const even = table('T10', T10_TYPES, [t10Row('temizlik', 'Temizlik', 50), t10Row('parklar', 'Parklar', 61), t10Row('yollar', 'Yollar', 62), t10Row('kultur', 'Kültür', 90)]);
      const drafts = findingDrafts(report(even, t11), tr, AREAS);
      expect(drafts.map((d) => d.key)).toEqual(['priority-low-satisfaction:temizlik', 'priority-low-satisfaction:parklar']);
      expect(drafts[0]!.finding).toContain('ortancasının (%61,5)');
    });

    it('writes the numbers in the report\'s language', () => {
      const drafts = findingDrafts(report(t10, t11), en, AREAS);
      expect(drafts[1]!.finding).toBe(
        "Temizlik ranks 2 among the citizens' priority service areas in the citizen survey, but its satisfaction rate (55.2%) is below the median of the service areas (60%).",
      );
    });

    it('leaves the area empty when the row is not an activity area, and offers nothing without a rank or a rate', () => {
      expect(findingDrafts(report(t10, t11), tr, [])[0]!.areaId).toBeNull();
      const unranked = table('T11', T11_TYPES, [t11Row('yollar', 'Yollar', null), t11Row('gizli', 'Gizli', 1)]);
      expect(findingDrafts(report(t10, unranked), tr, AREAS)).toEqual([]);
      expect(findingDrafts(report(t11), tr, AREAS)).toEqual([]);
    });
  });

  describe('the most frequent weaknesses', () => {
    // A T16 with the statement first and the number of sources as its first count column.
    const T16_TYPES: ColumnType[] = ['text', 'count', 'text'];
    it('offers up to five weaknesses named by two or more sources, most named first, citing their T16 row', () => {
      const t16 = table('T16', T16_TYPES, [
        ['strength:a', 'Genç nüfus', 9, 'Kurumlar'],
        ['weakness:b', 'Otopark yetersiz.', 2, 'Kurumlar'],
        ['weakness:c', 'Kaldırımlar bozuk', 4, 'Kurumlar, vatandaşlar'],
        ['weakness:d', 'Tek kaynak', 1, 'Kurumlar'],
        ['weakness:e', 'Gizli', '<5', 'Vatandaşlar'],
        ...['f', 'g', 'h', 'i', 'j'].map((k): [string, ...Cell[]] => [`weakness:${k}`, `Sorun ${k}`, 2, 'Kurumlar']),
      ]);
      const drafts = findingDrafts(report(t16), tr, AREAS);
      expect(drafts.map((d) => d.key)).toEqual(['frequent-weakness:weakness:c', 'frequent-weakness:weakness:b', 'frequent-weakness:weakness:f', 'frequent-weakness:weakness:g', 'frequent-weakness:weakness:h']);
      expect(drafts[1]).toEqual({
        key: 'frequent-weakness:weakness:b',
        kind: 'frequent-weakness',
        finding: '“Otopark yetersiz” paydaşların dile getirdiği zayıf yönler arasında öne çıkmaktadır (Kaynak sayısı: 2).',
        need: '“Otopark yetersiz” olarak dile getirilen sorunun giderilmesine yönelik önlemlerin belirlenmesi.',
        areaId: null,
        evidence: [{ tableKey: 'T16', rowKey: 'weakness:b' }],
      });
    });

    it('offers the three named most when none has two sources', () => {
      const t16 = table('T16', T16_TYPES, ['a', 'b', 'c', 'd'].map((k): [string, ...Cell[]] => [`weakness:${k}`, `Sorun ${k}`, 1, 'Kurumlar']));
      expect(findingDrafts(report(t16), tr, AREAS).map((d) => d.key)).toEqual(['frequent-weakness:weakness:a', 'frequent-weakness:weakness:b', 'frequent-weakness:weakness:c']);
    });

    it('leaves out a weakness only the citizen survey shows, and puts one named by more kinds of sources first', () => {
      const t16 = table('T16', T16_TYPES, [
        ['weakness:survey', 'Kültürden memnuniyet düşük', 240, 'Vatandaş anketi'],
        ['weakness:chamber', 'Ruhsat süreçleri uzun', 3, 'Meslek odası'],
        ['weakness:wide', 'Kaldırımlar bozuk', 3, 'STK, Muhtarlık, Mahalle buluşmaları'],
      ]);
      const facts = { 'weakness:survey': { kinds: 1, stakeholders: 0, respondents: 240 }, 'weakness:chamber': { kinds: 1, stakeholders: 3, respondents: 0 }, 'weakness:wide': { kinds: 3, stakeholders: 3, respondents: 0 } };
      for (const row of t16.rows) row.facts = facts[row.key as keyof typeof facts];
      expect(findingDrafts(report(t16), tr, AREAS).map((d) => d.key)).toEqual(['frequent-weakness:weakness:wide', 'frequent-weakness:weakness:chamber']);
    });

    it('reads a table whose first column is the quadrant\'s name (the flat T16) past that name', () => {
      const t16 = table('T16', ['text', 'text', 'text', 'count'], [['weakness:x', 'Zayıf yön', 'Ulaşım sorunları', 'Kurum görüşleri', 3]]);
      expect(findingDrafts(report(t16), tr, AREAS)[0]!.finding).toMatch(/^“Ulaşım sorunları”/);
    });
  });

  describe('under-represented mahalles', () => {
    // T9: mahalle, n, %, population share, representation ratio.
    const t9 = table('T9', ['text', 'count', 'percent', 'percent', 'decimal'], [
      ['merkez', 'Merkez', 80, 80, 40, 2],
      ['cami', 'Cami', 10, 10, 25, 0.4],
      ['istasyon', 'İstasyon', 0, 0, 20, 0],
      ['sinir', 'Sınır', 10, 10, 20, 0.5],
      ['gizli', 'Gizli', '<5', null, 15, null],
    ]);

    it('gathers every mahalle with a ratio under 0.5 in one draft citing each T9 row', () => {
      expect(findingDrafts(report(t9), tr, AREAS)).toEqual([
        {
          key: 'under-represented-mahalles',
          kind: 'under-represented-mahalles',
          finding: 'Vatandaş anketine Cami (0,40) ve İstasyon (0,00) mahallelerinden katılım, bu mahallelerin nüfus paylarının yarısından az olmuştur (parantez içinde temsil oranı).',
          need: 'Cami ve İstasyon mahallelerinde yüz yüze anket ve mahalle buluşmalarıyla katılımın artırılması; anket sonuçlarının bu mahalleler için temkinle yorumlanması.',
          areaId: null,
          evidence: [
            { tableKey: 'T9', rowKey: 'cami' },
            { tableKey: 'T9', rowKey: 'istasyon' },
          ],
        },
      ]);
    });

    it('speaks of one mahalle in the singular, in English too', () => {
      const one = table('T9', ['text', 'count', 'percent', 'percent', 'decimal'], [['cami', 'Cami', 10, 10, 25, 0.25]]);
      expect(findingDrafts(report(one), en, AREAS)[0]!.finding).toBe(
        'Participation in the citizen survey from the Cami (0.25) mahalle was less than half of its share of the population (representation ratio in brackets).',
      );
    });
  });

  describe('institution types that did not answer', () => {
    // T14b: type, invited, answered, response rate, answered unasked.
    it('gathers the types that were invited and gave no answer, or fewer than half of them, in one draft', () => {
      const t14b = table('T14b', ['text', 'count', 'count', 'percent', 'count'], [
        ['universite', 'Üniversite', 2, 2, 100, 0],
        ['meslek_odasi', 'Meslek odası', 3, 0, 0, 0],
        ['stk', 'STK', 3, 1, 33.3, 0],
        ['muhtarlik', 'Muhtarlık', 2, 1, 50, 0],
        ['kent_konseyi', 'Kent konseyi', 0, 0, null, 2],
      ]);
      expect(findingDrafts(report(t14b), tr, AREAS)).toEqual([
        {
          key: 'silent-institution-types',
          kind: 'silent-institution-types',
          finding:
            'Kurumsal görüş formuna davet edilen kurumlardan Meslek odası (3 davetliden 0 yanıt) ve STK (3 davetliden 1 yanıt) türlerinde yanıt alınamamış ya da davet edilenlerin yarısından azı yanıt vermiştir.',
          need: 'Meslek odası ve STK türlerindeki kurumların görüşlerinin hatırlatma, görüşme veya odak grup çalışmasıyla alınması.',
          areaId: null,
          evidence: [
            { tableKey: 'T14b', rowKey: 'meslek_odasi' },
            { tableKey: 'T14b', rowKey: 'stk' },
          ],
        },
      ]);
    });

    it('offers nothing when every invited type answered well', () => {
      const t14b = table('T14b', ['text', 'count', 'count', 'percent', 'count'], [['universite', 'Üniversite', 2, 1, 50, 0]]);
      expect(findingDrafts(report(t14b), tr, AREAS)).toEqual([]);
    });
  });

  it('offers nothing for an empty report, and its keys never carry a figure', () => {
    expect(findingDrafts(report(), tr, AREAS)).toEqual([]);
    const t9 = table('T9', ['text', 'count', 'percent', 'percent', 'decimal'], [['cami', 'Cami', 10, 10, 25, 0.25]]);
    const moved = table('T9', ['text', 'count', 'percent', 'percent', 'decimal'], [['cami', 'Cami', 12, 12, 25, 0.31]]);
    expect(findingDrafts(report(t9), tr, AREAS)[0]!.key).toBe(findingDrafts(report(moved), tr, AREAS)[0]!.key);
  });
});

describe('evidenceLabels', () => {
  it('names each row by its table\'s caption and its first text, and says so when a row is gone', () => {
    const t9 = table('T9', ['text', 'count'], [['cami', 'Cami', 10]]);
    expect(evidenceLabels(report(t9), [{ tableKey: 'T9', rowKey: 'cami' }, { tableKey: 'T9', rowKey: 'yok' }])).toEqual([`Tablo ${t9.number}: Başlık T9 — Cami`, 'T9 — yok']);
  });
});
