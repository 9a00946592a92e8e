// Numbers in the reader's language, through Intl: 1.500 and %66,7 in Turkish, 1,500 and 66.7% in
// English. Sentences get them from the locale files ({{count, number}}); pages, the report and
// exports' text call these functions, so a figure reads the same wherever it appears.
import type { Language } from './i18n';

/** The BCP 47 locale of each language, for numbers and dates. */
export const NUMBER_LOCALES: Record<Language, string> = { tr: 'tr-TR', en: 'en-GB' };

const counts = new Map<string, Intl.NumberFormat>();
const percents = new Map<string, Intl.NumberFormat>();

function localeOf(language: string): string {
  return NUMBER_LOCALES[language as Language] ?? language;
}

function cached(store: Map<string, Intl.NumberFormat>, language: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  let format = store.get(language);
  if (!format) {
    format = new Intl.NumberFormat(localeOf(language), options);
    store.set(language, format);
  }
  return format;
}

/** A count or a figure in a sentence: 1.500 / 1,500 (at most two decimals: 3,74). */
export function formatNumber(language: string, value: number): string {
  return cached(counts, language, { maximumFractionDigits: 2 }).format(value);
}

/**
 * A percentage given in points (66.7 for two answers in three), as the language writes it:
 * "%66,7" in Turkish, "66.7%" in English. One decimal at most, the precision of every table.
 */
export function formatPercent(language: string, points: number): string {
  // Intl's percent style takes a share; dividing 66.7 by 100 can come out as 0.6669999…, which one
  // decimal rounds back to 66.7.
  return cached(percents, language, { style: 'percent', maximumFractionDigits: 1 }).format(points / 100);
}
