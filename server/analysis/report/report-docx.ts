// The report as a Word document that pastes into the Strategic Plan: captions numbered by SEQ
// fields inside bookmarks, references to tables as REF fields to those bookmarks (so the numbers
// follow the plan's own after F9), the plan template's named styles, columns as wide as their
// words need, landscape pages only for tables whose words do not fit upright, and the figures as
// PNG images sized to leave room for their caption.
import {
  AlignmentType,
  Bookmark,
  Document,
  HeadingLevel,
  ImageRun,
  Packer,
  PageOrientation,
  Paragraph,
  SimpleField,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
  type FileChild,
  type ISectionOptions,
  type ParagraphChild,
} from 'docx';
import { figuresOf, plainText, quadrantsOf, tablesOf, type Cell, type Report, type ReportBlock, type ReportFigure, type ReportTable, type RichText } from './report-model';
import { renderFigure } from './report-charts';
import type { ReportWords } from './report-words';
import { figureSize, planColumns, planSections, tableHeight, type ColumnSample, type TableFonts } from './docx-layout';
import { HEADER_FILL, reportStyles, SIZES, TABLE_NOTE, TABLE_STYLE, TABLE_TEXT, tableStyles } from './docx-styles';
import { intoTemplate, readTemplate } from './docx-template';

const A4 = { width: 11906, height: 16838 };
const MARGIN = 1134; // 2 cm

/** The text area the section is laid out for, in twips: upright, and turned when a table needs it. */
export interface PageArea {
  portrait: { width: number; height: number };
  /** Null where the section cannot turn pages (pasted into a template's own section). */
  landscape: { width: number; height: number } | null;
}

export const A4_AREA: PageArea = {
  portrait: { width: A4.width - 2 * MARGIN, height: A4.height - 2 * MARGIN },
  landscape: { width: A4.height - 2 * MARGIN, height: A4.width - 2 * MARGIN },
};
/** The table style's cell margins (57 twips a side) and the cell borders. */
const FONTS: TableFonts = { header: { size: SIZES.table, bold: true }, body: { size: SIZES.table }, padding: 2 * 57 + 30 };
/** Tables up to this share of a page's height are kept on one page with their caption. */
const SMALL_TABLE = 0.4;

/** The bookmark around a caption's label and number: what a REF field points at. */
export const bookmarkOf = (id: string): string => `_${id.startsWith('T') ? 'Tablo' : 'Grafik'}_${id}`;

/** Text with references as runs: the references become REF fields showing "Tablo n" until updated. */
function runsOf(parts: RichText): ParagraphChild[] {
  return parts.map((part) => (typeof part === 'string' ? new TextRun(part) : new SimpleField(`REF ${bookmarkOf(part.ref)} \\h`, part.text)));
}

/**
 * "Tablo n: title" with "Tablo n" bookmarked and n a SEQ field whose shown value is the number
 * the report computed. The first of its kind restarts the sequence when the report does not start
 * at 1 (the setting for a section that follows the plan's own tables).
 */
function captionOf(report: Report, block: ReportBlock, first: boolean): Paragraph {
  const label = block.kind === 'table' ? report.labels.table : report.labels.figure;
  const restart = first && block.number !== 1 ? ` \\r ${block.number}` : '';
  return new Paragraph({
    style: 'Caption',
    keepNext: true,
    children: [
      new Bookmark({ id: bookmarkOf(block.id), children: [new TextRun(`${label} `), new SimpleField(`SEQ ${label} \\* ARABIC${restart}`, String(block.number))] }),
      new TextRun(`: ${block.title}`),
    ],
  });
}

interface TableLayout {
  landscape: boolean;
  widths: number[];
  /** Short enough to keep whole on one page. */
  small: boolean;
}

/** The cells as printed, for measuring: the header, the rows and the total. */
function samplesOf(table: ReportTable, words: ReportWords): ColumnSample[] {
  const format = (cell: Cell | undefined, i: number) => words.formatCell(cell === undefined ? '' : cell, table.columns[i]!.type);
  return table.columns.map((column, i) => ({
    header: column.label,
    cells: [...table.rows.map((row) => format(row.cells[i], i)), ...(table.total ? [format(table.total[i], i)] : [])],
  }));
}

export function tableLayout(table: ReportTable, words: ReportWords, page: PageArea = A4_AREA): TableLayout {
  const samples = samplesOf(table, words);
  const { landscape, widths } = planColumns(samples, FONTS, { portrait: page.portrait.width, landscape: (page.landscape ?? page.portrait).width });
  const pageHeight = (landscape && page.landscape ? page.landscape : page.portrait).height;
  return { landscape: landscape && page.landscape !== null, widths, small: tableHeight(samples, widths, FONTS) <= SMALL_TABLE * pageHeight };
}

function tableOf(report: Report, table: ReportTable, words: ReportWords, layout: TableLayout, first: boolean): (Paragraph | Table)[] {
  const { widths } = layout;
  const numeric = table.columns.map((column) => column.type !== 'text');
  // A narrow column of marks or numbers reads best centred or right-aligned.
  const alignment = (i: number) => (numeric[i] ? AlignmentType.RIGHT : widths[i]! < 500 ? AlignmentType.CENTER : AlignmentType.LEFT);
  const { small } = layout;
  const paragraph = (children: ParagraphChild[], i: number, keepNext = false) => new Paragraph({ style: TABLE_TEXT, alignment: alignment(i), keepNext, children });
  // A cell's lines (T14's one line per GZFT quadrant) stay lines in Word.
  const text = (value: string, bold = false) => value.split('\n').map((line, i) => new TextRun({ text: line, bold, break: i > 0 ? 1 : undefined }));
  const cell = (i: number, children: Paragraph[], shaded = false) =>
    new TableCell({ width: { size: widths[i]!, type: WidthType.DXA }, shading: shaded ? { fill: HEADER_FILL } : undefined, children });
  const wide = (content: string, keepNext: boolean, options: { bold?: boolean; italics?: boolean } = {}) =>
    new TableRow({
      cantSplit: true,
      children: [
        new TableCell({
          columnSpan: table.columns.length,
          width: { size: widths.reduce((a, b) => a + b, 0), type: WidthType.DXA },
          children: [new Paragraph({ style: TABLE_TEXT, keepNext, children: [new TextRun({ text: content, ...options })] })],
        }),
      ],
    });

  const rows: TableRow[] = [
    new TableRow({
      tableHeader: true,
      cantSplit: true,
      children: table.columns.map((column, i) => cell(i, [paragraph(text(column.label, true), i, true)], true)),
    }),
  ];
  const lastBody = table.rows.length - 1 + (table.total ? 1 : 0);
  // The last row keeps with the notes under it, so a note never starts a page alone.
  const withNotes = table.notes.length > 0;
  table.rows.forEach((row, r) => {
    // Small tables stay whole: every row but the last keeps with the next.
    const keepNext = (small && r < lastBody) || (withNotes && r === lastBody);
    if (row.group) rows.push(wide(row.group, true, { bold: true }));
    rows.push(
      new TableRow({
        cantSplit: true,
        children: table.columns.map((column, i) => {
          const rich = row.rich?.[i];
          const value = row.cells[i];
          const children = rich ? runsOf(rich) : text(words.formatCell(value === undefined ? '' : value, column.type));
          return cell(i, [paragraph(children, i, keepNext)]);
        }),
      }),
    );
  });
  if (table.rows.length === 0) rows.push(wide(table.empty ?? '', false, { italics: true }));
  if (table.total) {
    rows.push(new TableRow({ cantSplit: true, children: table.columns.map((column, i) => cell(i, [paragraph(text(words.formatCell(table.total![i] === undefined ? '' : table.total![i]!, column.type), true), i, withNotes)])) }));
  }
  const notes = table.notes.map((note, n) => new Paragraph({ style: TABLE_NOTE, keepNext: n < table.notes.length - 1, children: [new TextRun(note)] }));
  const total = widths.reduce((a, b) => a + b, 0);
  return [
    captionOf(report, table, first),
    new Table({ style: TABLE_STYLE, rows, width: { size: total, type: WidthType.DXA }, columnWidths: widths, layout: TableLayoutType.FIXED }),
    ...notes,
  ];
}

/**
 * A quadrant table (GZFT) as plans draw it: two columns, a shaded row with two quadrants' names,
 * then a row with their items, one paragraph each, the figures after the item in small italics.
 * Its rows may break across pages: a quadrant of a large consultation is longer than a page.
 */
function quadrantTableOf(report: Report, table: ReportTable, words: ReportWords, first: boolean, page: PageArea): (Paragraph | Table)[] {
  const half = Math.floor(page.portrait.width / 2);
  const quadrants = quadrantsOf(table, words.formatCell);
  const cell = (children: Paragraph[], shaded = false) => new TableCell({ width: { size: half, type: WidthType.DXA }, shading: shaded ? { fill: HEADER_FILL } : undefined, children });
  const rows: TableRow[] = [];
  for (let i = 0; i < quadrants.length; i += 2) {
    const pair = quadrants.slice(i, i + 2);
    rows.push(new TableRow({ cantSplit: true, children: pair.map((q) => cell([new Paragraph({ style: TABLE_TEXT, keepNext: true, children: [new TextRun({ text: q.name, bold: true })] })], true)) }));
    rows.push(
      new TableRow({
        children: pair.map((q) =>
          cell(
            q.items.length === 0
              ? [new Paragraph({ style: TABLE_TEXT, children: [new TextRun({ text: '–' })] })]
              : q.items.map((item) => new Paragraph({ style: TABLE_TEXT, spacing: { after: 40 }, children: [new TextRun(item.text), new TextRun({ text: ` (${item.detail})`, italics: true })] })),
          ),
        ),
      }),
    );
  }
  const notes = table.notes.map((note, n) => new Paragraph({ style: TABLE_NOTE, keepNext: n < table.notes.length - 1, children: [new TextRun(note)] }));
  return [
    captionOf(report, table, first),
    new Table({ style: TABLE_STYLE, rows, width: { size: 2 * half, type: WidthType.DXA }, columnWidths: [half, half], layout: TableLayoutType.FIXED }),
    ...notes,
  ];
}

function figureOf(report: Report, figure: ReportFigure, first: boolean, page: PageArea): Paragraph[] {
  const caption = captionOf(report, figure, first);
  if (!figure.data) return [new Paragraph({ keepNext: true, children: [new TextRun({ text: figure.empty ?? '', italics: true })] }), caption];
  const image = renderFigure(figure.data);
  const size = figureSize(image, page.portrait);
  // Twips to pixels at 96 dpi.
  const px = (twips: number) => Math.round((twips / 1440) * 96);
  return [
    new Paragraph({
      keepNext: true,
      alignment: AlignmentType.CENTER,
      children: [
        new ImageRun({
          type: 'png',
          data: image.png,
          transformation: { width: px(size.width), height: px(size.height) },
          altText: { name: plainText([report.labels.figure, ` ${figure.number}: ${figure.title}`]), title: figure.title, description: figure.description },
        }),
      ],
    }),
    caption,
  ];
}

/** The section's blocks in reading order, each with the orientation it needs (null: a paragraph, which goes with the next block). */
function reportItems(report: Report, words: ReportWords, page: PageArea): { landscape: boolean | null; children: FileChild[] }[] {
  const items: { landscape: boolean | null; children: FileChild[] }[] = [];
  const firstTable = tablesOf(report)[0];
  const firstFigure = figuresOf(report)[0];
  items.push({ landscape: null, children: [new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(report.title)] })] });
  items.push({ landscape: null, children: [new Paragraph({ children: [new TextRun({ text: report.subtitle, italics: true })] })] });
  report.sections.forEach((section, index) => {
    const lead = index > 0 && section.blocks.length > 0;
    items.push({ landscape: null, children: [new Paragraph({ heading: HeadingLevel.HEADING_3, keepNext: true, children: [new TextRun(`${index + 1}. ${section.heading}`)] })] });
    section.paragraphs.forEach((text, p) => {
      const rich = section.richParagraphs?.[p];
      // The short text above a section's tables stays with the first of them.
      items.push({ landscape: null, children: [new Paragraph({ keepNext: lead, children: rich ? runsOf(rich) : [new TextRun(text)] })] });
    });
    for (const block of section.blocks) {
      if (block.kind === 'figure') {
        items.push({ landscape: false, children: figureOf(report, block, block === firstFigure, page) });
      } else if (block.quadrants && block.rows.length > 0) {
        items.push({ landscape: false, children: quadrantTableOf(report, block, words, block === firstTable, page) });
      } else {
        const layout = tableLayout(block, words, page);
        items.push({ landscape: layout.landscape, children: tableOf(report, block, words, layout, block === firstTable) });
      }
    }
  });
  return items;
}

/** The plain export: the section as a document of its own, on A4 with landscape pages where a table needs them. */
function sectionDocument(report: Report, words: ReportWords): Document {
  const items = reportItems(report, words, A4_AREA);
  const plan = planSections(items);
  const sections: ISectionOptions[] = plan.landscape.map((landscape, s) => ({
    properties: {
      page: {
        // docx turns the page itself for a landscape orientation: the size is given upright.
        size: { width: A4.width, height: A4.height, orientation: landscape ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT },
        margin: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
      },
    },
    children: items.filter((_, i) => plan.section[i] === s).flatMap((item) => item.children),
  }));
  return new Document({
    creator: 'Paydaş',
    title: `${report.title} – ${report.subtitle}`,
    externalStyles: tableStyles(report.language),
    styles: reportStyles(report.language),
    sections,
  });
}

/**
 * The report as a DOCX: on its own, or, given the municipality's plan template, written into it
 * where the template says {{paydas_analizi}}, in the template's page, header, footer and styles.
 */
export async function reportDocx(report: Report, words: ReportWords, template?: Buffer): Promise<Buffer> {
  if (!template) return Packer.toBuffer(sectionDocument(report, words));
  const read = await readTemplate(template);
  if (!read.ok) throw new Error(`report template unusable: ${read.problem}`);
  const children = reportItems(report, words, { portrait: read.area, landscape: null }).flatMap((item) => item.children);
  // The styles the section uses, for those the template lacks.
  const styles = await Packer.toBuffer(new Document({ externalStyles: tableStyles(report.language), styles: reportStyles(report.language), sections: [{ children: [] }] }));
  return intoTemplate(template, children, styles);
}
