// Numbers written in the reader's language: counts inside sentences grouped as the language groups
// them (1.500 / 1,500), and one percent format per language through Intl (%66,7 / 66.7%).
import { createI18n, LANGUAGES, readLocales } from '../../server/platform/i18n/i18n';
import { formatNumber, formatPercent } from '../../server/platform/i18n/numbers';
import { reportWords } from '../../server/analysis/report/report-words';

const resources = readLocales();
function texts(language: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (value: unknown, prefix: string) => {
    if (value && typeof value === 'object') for (const [key, child] of Object.entries(value)) walk(child, `${prefix}.${key}`);
    else out.set(prefix, String(value));
  };
  for (const [namespace, tree] of Object.entries(resources[language] ?? {})) walk(tree, namespace);
  return out;
}

describe('formatNumber', () => {
  it('groups thousands as each language does', () => {
    expect(formatNumber('tr', 1500)).toBe('1.500');
    expect(formatNumber('en', 1500)).toBe('1,500');
    expect(formatNumber('tr', 1532)).toBe('1.532');
    expect(formatNumber('en', 301)).toBe('301');
    expect(formatNumber('tr', 3.74)).toBe('3,74');
    expect(formatNumber('en', 3.74)).toBe('3.74');
  });
});

describe('formatPercent', () => {
  it('writes the sign where the language puts it, with one decimal at most', () => {
    expect(formatPercent('tr', 66.7)).toBe('%66,7');
    expect(formatPercent('en', 66.7)).toBe('66.7%');
    expect(formatPercent('tr', (2 / 3) * 100)).toBe('%66,7');
    expect(formatPercent('en', (2 / 3) * 100)).toBe('66.7%');
    expect(formatPercent('tr', 50)).toBe('%50');
    expect(formatPercent('en', 100)).toBe('100%');
    expect(formatPercent('tr', 0)).toBe('%0');
    expect(formatPercent('en', 12.345)).toBe('12.3%');
  });
});

describe('the report\'s percentages', () => {
  it('use the same formatter, in the report\'s language', () => {
    const i18n = createI18n();
    expect(reportWords(i18n, 'tr', 'Europe/Istanbul').formatPercent(66.7)).toBe('%66,7');
    expect(reportWords(i18n, 'en', 'Europe/Istanbul').formatPercent(66.7)).toBe('66.7%');
    const tr = reportWords(i18n, 'tr', 'Europe/Istanbul');
    expect(tr.t('report:intro.institutions', { count: 1500, answered: 1000, rate: tr.formatPercent(66.7) })).toBe(
      'Kurumsal görüş formu 1.500 kuruma gönderilmiş, 1.000 kurum yanıt vermiştir (yanıt oranı %66,7).',
    );
    const en = reportWords(i18n, 'en', 'Europe/Istanbul');
    expect(en.t('report:intro.institutions', { count: 1500, answered: 1000, rate: en.formatPercent(66.7) })).toMatch(/1,500 institutions and 1,000 answered \(response rate 66\.7%\)/);
  });
});

describe('numbers in sentences', () => {
  const { translators } = createI18n();

  it('are grouped in the reader\'s language ("1,500 complete responses", "1.500 tamamlanmış yanıt")', () => {
    expect(translators.en('results:responses_counted', { count: 1500 })).toBe('1,500 complete responses under this filter (excluded ones are not counted).');
    expect(translators.tr('results:responses_counted', { count: 1500 })).toMatch(/^Bu süzgeçle 1\.500 tamamlanmış yanıt/);
    expect(translators.en('coding_search:results_shown', { shown: 301, total: 1532 })).toMatch(/^Showing the first 301 of 1,532 answers\./);
    expect(translators.tr('coding_search:results_shown', { shown: 301, total: 1532 })).toContain('1.532');
  });

  it('still pick the plural form from the count', () => {
    expect(translators.en('results:responses_counted', { count: 1 })).toMatch(/^1 complete response under/);
    expect(translators.en('admin:users.caption', { count: 1000 })).toBe('1,000 users');
  });

  it('print a value that is already written as it is, never "NaN"', () => {
    expect(translators.tr('admin:users.caption', { count: 3, replace: { count: '1.500' } })).toBe('1.500 kullanıcı');
  });

  it('write a percent through the same formatter ({{x, percent}})', () => {
    expect(translators.tr('coding:groups.running', { percent: 40 })).toBe('Gruplar öneriliyor… %40');
    expect(translators.en('coding:groups.running', { percent: 40 })).toBe('Proposing groups… 40%');
  });

  it('are formatted wherever a locale text prints a count: {{count, number}}, never a bare {{count}}', () => {
    for (const language of LANGUAGES) {
      const bare = [...texts(language)].filter(([, text]) => /{{\s*count\s*}}/.test(text)).map(([key]) => key);
      expect({ language, bare }).toEqual({ language, bare: [] });
    }
  });
});
