// The report's words: numbers put into its sentences are written in the report's language, and
// a count still picks the sentence's plural form.
import { reportWords } from '../../../server/analysis/report/report-words';
import { createI18n } from '../../../server/platform/i18n/i18n';

const i18n = createI18n();

describe('the report translator', () => {
  it('writes a number in a sentence as the tables do, Turkish or English', () => {
    expect(reportWords(i18n, 'tr', 'Europe/Istanbul').t('report:notes.t11', { n: 1500, weights: '3-2-1' })).toContain('1.500 kişi');
    expect(reportWords(i18n, 'en', 'Europe/Istanbul').t('report:notes.t11', { n: 1500, weights: '3-2-1' })).toContain('1,500');
  });

  it('keeps choosing the plural form by the count while writing it', () => {
    const { t } = reportWords(i18n, 'en', 'Europe/Istanbul');
    expect(t('report:methods.meeting', { count: 1 })).toBe('Neighbourhood meeting (1 meeting)');
    expect(t('report:methods.meeting', { count: 1200 })).toBe('Neighbourhood meetings (1,200 meetings)');
  });

  it('leaves texts and keys without values as they were', () => {
    const { t } = reportWords(i18n, 'tr', 'Europe/Istanbul');
    expect(t('report:title')).toBe(i18n.translators.tr('report:title'));
    expect(t('report:intro.legal', { municipality: 'Deneme', period: '2025-2029' })).toBe(i18n.translators.tr('report:intro.legal', { municipality: 'Deneme', period: '2025-2029' }));
  });
});
