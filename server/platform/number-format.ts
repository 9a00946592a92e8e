// One number format per kind of figure, wherever it is shown: counts as whole numbers, percentages
// with one decimal, means, medians and ratios with two, so a column never shows "3,7" next to
// "3,74". The page, the report (DOCX) and the XLSX files read their digits from here; the
// separators follow the reader's language through Intl (tr: 1.500 and 3,74; en: 1,500 and 3.74).

export type FigureKind = 'count' | 'percent' | 'decimal';

export const FRACTION_DIGITS: Readonly<Record<FigureKind, number>> = { count: 0, percent: 1, decimal: 2 };

/** The same digits as Excel number formats, which Excel shows with the reader's own separators. */
export const XLSX_NUMBER_FORMATS: Readonly<Record<FigureKind, string>> = { count: '#,##0', percent: '0.0', decimal: '0.00' };

const cache = new Map<string, Record<FigureKind, Intl.NumberFormat>>();

/** The three formatters of a BCP 47 locale (built once per locale). */
export function figureFormats(locale: string): Record<FigureKind, Intl.NumberFormat> {
  let formats = cache.get(locale);
  if (!formats) {
    const digits = (kind: FigureKind) => new Intl.NumberFormat(locale, { minimumFractionDigits: FRACTION_DIGITS[kind], maximumFractionDigits: FRACTION_DIGITS[kind] });
    formats = { count: digits('count'), percent: digits('percent'), decimal: digits('decimal') };
    cache.set(locale, formats);
  }
  return formats;
}

/** A figure as the reader's language writes it; "–" for a missing one. */
export function formatFigure(value: number | null | undefined, kind: FigureKind, locale: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return figureFormats(locale)[kind].format(value);
}
