// One number format per kind of figure, in the reader's language: the page, the report and the
// XLSX files agree on the digits, so a cross-tab never shows "3,7" next to "3,74".
import { figureFormats, formatFigure, FRACTION_DIGITS, XLSX_NUMBER_FORMATS } from '../../server/platform/number-format';
import { LOCALES } from '../../server/platform/http/locals';

describe('formatFigure', () => {
  it('writes means with two decimals always, so 3.7 and 3.74 line up', () => {
    expect(formatFigure(3.7, 'decimal', LOCALES.tr)).toBe('3,70');
    expect(formatFigure(3.74, 'decimal', LOCALES.tr)).toBe('3,74');
    expect(formatFigure(4, 'decimal', LOCALES.tr)).toBe('4,00');
    expect(formatFigure(3.7, 'decimal', LOCALES.en)).toBe('3.70');
    expect(formatFigure(3.745, 'decimal', LOCALES.en)).toMatch(/^3\.7[45]$/);
  });

  it('writes percentages with one decimal and counts as whole numbers with the language\'s grouping', () => {
    expect(formatFigure(50, 'percent', LOCALES.tr)).toBe('50,0');
    expect(formatFigure(66.666, 'percent', LOCALES.tr)).toBe('66,7');
    expect(formatFigure(66.666, 'percent', LOCALES.en)).toBe('66.7');
    expect(formatFigure(1500, 'count', LOCALES.tr)).toBe('1.500');
    expect(formatFigure(1500, 'count', LOCALES.en)).toBe('1,500');
    expect(formatFigure(12, 'count', LOCALES.tr)).toBe('12');
  });

  it('writes a missing figure as a dash', () => {
    expect(formatFigure(null, 'decimal', LOCALES.tr)).toBe('–');
    expect(formatFigure(Number.NaN, 'count', LOCALES.en)).toBe('–');
  });

  it('gives the XLSX files the same digits as the page', () => {
    for (const kind of ['count', 'percent', 'decimal'] as const) {
      const decimals = XLSX_NUMBER_FORMATS[kind].split('.')[1]?.length ?? 0;
      expect([kind, decimals]).toEqual([kind, FRACTION_DIGITS[kind]]);
      expect(figureFormats(LOCALES.en)[kind].resolvedOptions().maximumFractionDigits).toBe(FRACTION_DIGITS[kind]);
    }
  });
});
