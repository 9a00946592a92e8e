// How the report's DOCX is laid out, as pure functions over text: how wide a text is in Calibri
// (Carlito has the same metrics), how wide each column must be so no word breaks and how the
// rest of the page is shared, which tables need a landscape page, and how tall a figure may be.
// Measured here rather than by the word processor because a DOCX table carries fixed widths:
// LibreOffice ignores Word's autofit.

/** Twips (1/20 pt) per point. */
const TWIPS_PER_PT = 20;

// Advance widths in 1/1000 em of Carlito Regular and Bold, measured from the fonts (metric-compatible
// with Calibri): printable ASCII, then the Turkish letters and the punctuation the report uses.
const CHARS = ` !"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_\`abcdefghijklmnopqrstuvwxyz{|}~çÇğĞıİöÖşŞüÜâÂîÎûÛ–—…’‘“”«»·×±%€₺`;
// prettier-ignore
const REGULAR = [226,326,401,498,507,715,682,221,303,303,498,498,250,306,252,386,507,507,507,507,507,507,507,507,507,507,268,268,498,498,498,463,894,579,544,533,615,488,459,631,623,252,319,520,420,855,646,662,517,673,543,459,487,642,567,890,519,487,468,307,386,307,498,498,291,479,525,423,525,498,305,471,525,229,239,455,229,799,525,527,525,525,349,391,335,525,452,715,433,453,395,314,460,314,498,423,533,471,631,229,252,527,662,391,459,525,642,479,579,229,252,525,642,498,905,690,250,250,418,418,512,512,252,498,498,715,507,507];
// prettier-ignore
const BOLD = [226,326,438,498,507,729,705,233,312,312,498,498,258,306,267,430,507,507,507,507,507,507,507,507,507,507,276,276,498,498,498,463,898,606,561,529,630,488,459,637,631,267,331,547,423,874,659,676,532,686,563,473,495,653,591,906,551,520,478,325,430,325,498,498,300,494,537,418,537,503,316,474,537,246,255,480,246,813,537,538,537,537,355,399,347,537,473,745,459,474,397,344,475,344,498,418,529,474,637,246,267,538,676,399,473,537,653,494,606,246,267,537,653,498,905,711,258,258,435,435,539,539,268,498,498,729,507,507];
/** For a letter outside the table: as wide as a wide capital, so a measure errs on the safe side. */
const UNKNOWN = 700;

const widthOf = (table: number[]) => {
  const map = new Map<string, number>();
  [...CHARS].forEach((ch, i) => map.set(ch, table[i]!));
  return map;
};
const METRICS = { regular: widthOf(REGULAR), bold: widthOf(BOLD) };

export interface TextStyle {
  /** Font size in points. */
  size: number;
  bold?: boolean;
}

/** The width of a text on one line, in twips. */
export function textWidth(text: string, style: TextStyle): number {
  const metrics = style.bold ? METRICS.bold : METRICS.regular;
  let units = 0;
  for (const ch of text) units += metrics.get(ch) ?? UNKNOWN;
  return (units / 1000) * style.size * TWIPS_PER_PT;
}

/** The widest word of a text, in twips: the narrowest a column can be without breaking it. */
export function longestWordWidth(text: string, style: TextStyle): number {
  return Math.max(0, ...text.split(/\s+/).map((word) => textWidth(word, style)));
}

export interface ColumnSample {
  header: string;
  /** The column's cells as printed. */
  cells: string[];
}

export interface TableFonts {
  header: TextStyle;
  body: TextStyle;
  /** A cell's left and right margins together, in twips. */
  padding: number;
}

/** No single word in a body cell claims more than this share of the page: a URL may break. */
const LONGEST_BODY_WORD = 0.35;
/** Measured widths get this much more, for rounding and the renderer's own spacing. */
const SLACK = 1.06;

/** The narrowest each column can be without breaking a word of its header or its cells. */
export function minimumWidths(columns: ColumnSample[], fonts: TableFonts, pageWidth: number): number[] {
  return columns.map((column) => {
    const header = longestWordWidth(column.header, fonts.header);
    const body = Math.min(LONGEST_BODY_WORD * pageWidth, Math.max(0, ...column.cells.map((cell) => longestWordWidth(cell, fonts.body))));
    return Math.ceil(Math.max(header, body) * SLACK + fonts.padding);
  });
}

/**
 * How wide each column would like to be: a typical cell on one line (the upper quartile of the
 * cells' lengths, so one long answer does not take the page) or its header on one line.
 */
export function preferredWidths(columns: ColumnSample[], fonts: TableFonts): number[] {
  return columns.map((column) => {
    const lengths = column.cells.map((cell) => textWidth(cell, fonts.body)).sort((a, b) => a - b);
    const typical = lengths.length > 0 ? lengths[Math.floor((lengths.length - 1) * 0.75)]! : 0;
    return Math.ceil(Math.max(typical, textWidth(column.header, fonts.header)) * SLACK + fonts.padding);
  });
}

/**
 * Shares a width between columns: each gets its minimum, then what is left goes towards the
 * preferred widths in proportion to what each still wants; when every column has its preferred
 * width, the rest goes to the columns in proportion to their width. The sum is the page width (a
 * table narrower than its minimum is shrunk in proportion: there is no wider page).
 */
export function distributeWidths(minimum: number[], preferred: number[], width: number): number[] {
  const least = minimum.reduce((a, b) => a + b, 0);
  if (least >= width) return fit(minimum.map((m) => (m * width) / least), width);
  const wants = minimum.map((m, i) => Math.max(0, preferred[i]! - m));
  const wanted = wants.reduce((a, b) => a + b, 0);
  const spare = width - least;
  if (wanted >= spare) return fit(minimum.map((m, i) => m + (wants[i]! * spare) / wanted), width);
  const grown = minimum.map((m, i) => m + wants[i]!);
  const total = grown.reduce((a, b) => a + b, 0);
  return fit(grown.map((g) => g + (g / total) * (spare - wanted)), width);
}

/** Whole twips that add up to the width exactly. */
function fit(widths: number[], width: number): number[] {
  const floored = widths.map((w) => Math.floor(w));
  const short = width - floored.reduce((a, b) => a + b, 0);
  if (floored.length > 0) floored[floored.length - 1]! += short;
  return floored;
}

export interface PageWidths {
  portrait: number;
  landscape: number;
}

export interface ColumnPlan {
  landscape: boolean;
  widths: number[];
  /** The sum of the columns' minimum widths. */
  minimum: number;
}

/**
 * A table goes on a landscape page only when its words do not fit the portrait width; then it
 * takes the landscape width.
 */
export function planColumns(columns: ColumnSample[], fonts: TableFonts, page: PageWidths): ColumnPlan {
  const minimum = minimumWidths(columns, fonts, page.portrait);
  const least = minimum.reduce((a, b) => a + b, 0);
  const landscape = least > page.portrait;
  return { landscape, widths: distributeWidths(minimum, preferredWidths(columns, fonts), landscape ? page.landscape : page.portrait), minimum: least };
}

/**
 * Pages as runs of one orientation: consecutive landscape blocks share one landscape section, and
 * the paragraphs leading to a block (its heading, the text above it) go with it. Returns, for each
 * item, the index of its section, and each section's orientation.
 */
export function planSections(items: { landscape: boolean | null }[]): { section: number[]; landscape: boolean[] } {
  // A paragraph (null) takes the orientation of the next block; trailing ones that of the last.
  const resolved: boolean[] = new Array<boolean>(items.length);
  let next = false;
  for (let i = items.length - 1; i >= 0; i--) {
    const own = items[i]!.landscape;
    if (own !== null) next = own;
    resolved[i] = own ?? next;
  }
  const section: number[] = [];
  const landscape: boolean[] = [];
  resolved.forEach((l, i) => {
    if (i === 0 || l !== resolved[i - 1]) landscape.push(l);
    section.push(landscape.length - 1);
  });
  return { section, landscape };
}

/**
 * A figure's size in twips: the text width, unless that makes it taller than the share of the
 * page that leaves room for its caption and the next lines of text.
 */
export function figureSize(image: { width: number; height: number }, page: { width: number; height: number }, share = 0.42): { width: number; height: number } {
  const ratio = image.height / image.width;
  const width = Math.min(page.width, (page.height * share) / ratio);
  return { width: Math.round(width), height: Math.round(width * ratio) };
}

/**
 * About how tall a table is, in twips: each row as many lines as its fullest cell needs at the
 * columns' widths (words do not break, so a line holds a little less than its width).
 */
export function tableHeight(columns: ColumnSample[], widths: number[], fonts: TableFonts): number {
  const line = fonts.body.size * 1.2 * TWIPS_PER_PT;
  const spacing = 40;
  const rowCount = Math.max(0, ...columns.map((c) => c.cells.length));
  const linesOf = (text: string, i: number, style: TextStyle) => Math.max(1, Math.ceil((textWidth(text, style) * 1.15) / Math.max(1, widths[i]! - fonts.padding)));
  const header = Math.max(1, ...columns.map((c, i) => linesOf(c.header, i, fonts.header)));
  let height = header * line + spacing;
  for (let r = 0; r < rowCount; r++) height += Math.max(1, ...columns.map((c, i) => linesOf(c.cells[r] ?? '', i, fonts.body))) * line + spacing;
  return Math.round(height);
}
