// The words and number formats of the report, in the report's language (not the reader's): the
// page, the DOCX and the XLSX of a Turkish report are Turkish whoever downloads them.
import type { I18n, Language, Translate } from '../../platform/i18n/i18n';
import { localize } from '../../platform/i18n/localize';
import { dateFormatters } from '../../platform/http/locals';
import { formatPercent } from '../../platform/i18n/numbers';
import { figureFormats } from '../../platform/number-format';
import type { LocalizedText } from '../../platform/schema';
import type { Cell, ColumnType } from './report-model';

export interface ReportWords {
  t: Translate;
  language: Language;
  /** The BCP 47 locale of the report's numbers ("tr-TR"). */
  locale: string;
  text: (value: LocalizedText) => string;
  formatDate: (iso: string) => string;
  formatTime: (iso: string) => string;
  /** A cell as printed on the page and in the DOCX: 1.234 / 12,5 in Turkish. */
  formatCell: (value: Cell, type: ColumnType) => string;
  /** A percentage (in points) inside a sentence, as every screen writes it: %66,7 / 66.7%. */
  formatPercent: (points: number) => string;
}

const LOCALES: Record<Language, string> = { tr: 'tr-TR', en: 'en-GB' };

/**
 * The translator with every number it puts into a sentence written as the tables write it
 * ("1.500 geçerli yanıt" beside a table that says 1.500). `count` still picks the plural form:
 * i18next then fills the sentence from `replace`, which holds the written numbers.
 */
function withWrittenNumbers(t: Translate, number: Intl.NumberFormat): Translate {
  const translate = (key: unknown, options?: unknown, ...rest: unknown[]) => {
    if (options === null || typeof options !== 'object' || Array.isArray(options)) return (t as unknown as (...args: unknown[]) => unknown)(key, options, ...rest);
    const values = options as Record<string, unknown>;
    const replace = Object.fromEntries(Object.entries(values).map(([name, value]) => [name, typeof value === 'number' && Number.isFinite(value) ? number.format(value) : value]));
    return (t as unknown as (...args: unknown[]) => unknown)(key, { ...values, replace }, ...rest);
  };
  return translate as unknown as Translate;
}

export function reportWords(i18n: I18n, language: Language, timeZone: string): ReportWords {
  const dates = dateFormatters(timeZone)[language];
  // One format per kind of figure, the same as on the screen (platform/number-format.ts).
  const { count, percent, decimal } = figureFormats(LOCALES[language]);
  const written = new Intl.NumberFormat(LOCALES[language], { maximumFractionDigits: 2 });
  return {
    t: withWrittenNumbers(i18n.translators[language], written),
    language,
    locale: LOCALES[language],
    text: (value) => localize(value, language).text,
    formatDate: (iso) => dates.date.format(new Date(iso)),
    formatTime: (iso) => dates.time.format(new Date(iso)),
    formatPercent: (points) => formatPercent(language, points),
    formatCell: (value, type) => {
      if (value === null) return '–';
      if (typeof value === 'string') return value;
      switch (type) {
        case 'count':
          return count.format(value);
        case 'percent':
          return percent.format(value);
        case 'decimal':
          return decimal.format(value);
        case 'text':
          return String(value);
      }
    },
  };
}
