// The report as a Word document: real tables with repeating header rows, captions in Word's own
// "Caption" style kept with their tables, headings at the levels a Strategic Plan's situation
// analysis uses (so they paste into the municipality's template), and the figures as PNG images.
import {
  AlignmentType,
  Document,
  HeadingLevel,
  ImageRun,
  Packer,
  PageOrientation,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
  type ISectionOptions,
} from 'docx';
import { captionOf, type Cell, type Report, type ReportColumn, type ReportFigure, type ReportTable } from './report-model';
import { renderFigure } from './report-charts';
import type { ReportWords } from './report-words';

const A4 = { width: 11906, height: 16838 };
const MARGIN = 1134; // 2 cm
/** Tables wider than this many columns go on landscape pages. */
const WIDE = 8;
const FONT = 'Calibri';

function cellParagraph(text: string, options: { bold?: boolean; numeric?: boolean }): Paragraph {
  return new Paragraph({
    alignment: options.numeric ? AlignmentType.RIGHT : AlignmentType.LEFT,
    spacing: { before: 20, after: 20 },
    children: [new TextRun({ text, bold: options.bold, size: 16, font: FONT })],
  });
}

function tableOf(report: Report, table: ReportTable, words: ReportWords, widthTwips: number): (Paragraph | Table)[] {
  const caption = new Paragraph({ style: 'Caption', keepNext: true, children: [new TextRun(captionOf(report, table))] });
  // Widths in twips, text columns three times a number's: LibreOffice ignores a bare 100 % width.
  const weights = table.columns.map((column) => (column.type === 'text' ? 3 : 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const columnWidths = weights.map((w) => Math.floor((w / total) * widthTwips));
  const width = (i: number) => ({ size: columnWidths[i]!, type: WidthType.DXA });
  const numeric = (column: ReportColumn) => column.type !== 'text';
  const format = (value: Cell, column: ReportColumn) => words.formatCell(value, column.type);
  const header = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: table.columns.map(
      (column, i) => new TableCell({ width: width(i), shading: { fill: 'D9E2F3' }, children: [cellParagraph(column.label, { bold: true, numeric: numeric(column) })] }),
    ),
  });
  const body = table.rows.length > 0 ? table.rows.map((row) => row.cells) : [[table.empty ?? '', ...table.columns.slice(1).map(() => '')]];
  const rows = [
    header,
    ...body.map(
      (cells) =>
        new TableRow({
          cantSplit: true,
          children: table.columns.map((column, i) => new TableCell({ width: width(i), children: [cellParagraph(format(cells[i] === undefined ? '' : cells[i]!, column), { numeric: numeric(column) })] })),
        }),
    ),
    ...(table.total
      ? [
          new TableRow({
            cantSplit: true,
            children: table.columns.map((column, i) => new TableCell({ width: width(i), children: [cellParagraph(format(table.total![i] === undefined ? '' : table.total![i]!, column), { bold: true, numeric: numeric(column) })] })),
          }),
        ]
      : []),
  ];
  const notes = table.notes.map((note) => new Paragraph({ style: 'TableNote', children: [new TextRun(note)] }));
  return [caption, new Table({ rows, width: { size: widthTwips, type: WidthType.DXA }, columnWidths, layout: TableLayoutType.FIXED }), ...notes, new Paragraph({ text: '' })];
}

function figureOf(report: Report, figure: ReportFigure, contentWidthTwips: number): Paragraph[] {
  const caption = new Paragraph({ style: 'Caption', children: [new TextRun(captionOf(report, figure))] });
  if (!figure.data) return [new Paragraph({ keepNext: true, children: [new TextRun({ text: figure.empty ?? '', italics: true })] }), caption];
  const image = renderFigure(figure.data);
  // Twips to pixels at 96 dpi: the image fills the text width.
  const width = Math.round((contentWidthTwips / 1440) * 96);
  const height = Math.round((image.height / image.width) * width);
  return [
    new Paragraph({
      keepNext: true,
      alignment: AlignmentType.CENTER,
      children: [
        new ImageRun({
          type: 'png',
          data: image.png,
          transformation: { width, height },
          altText: { name: captionOf(report, figure), title: captionOf(report, figure), description: figure.description },
        }),
      ],
    }),
    caption,
  ];
}

export async function reportDocx(report: Report, words: ReportWords): Promise<Buffer> {
  const sections: ISectionOptions[] = [];
  let children: (Paragraph | Table)[] = [];
  const page = (landscape: boolean) => ({
    // docx turns the page itself for a landscape orientation: the size is given upright.
    size: { width: A4.width, height: A4.height, orientation: landscape ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT },
    margin: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
  });
  const close = (landscape: boolean) => {
    if (children.length > 0) sections.push({ properties: { page: page(landscape) }, children });
    children = [];
  };
  const portraitWidth = A4.width - 2 * MARGIN;
  const landscapeWidth = A4.height - 2 * MARGIN;

  children.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(report.title)] }));
  children.push(new Paragraph({ children: [new TextRun({ text: report.subtitle, italics: true })] }));
  report.sections.forEach((section, index) => {
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_3, keepNext: true, children: [new TextRun(`${index + 1}. ${section.heading}`)] }));
    for (const paragraph of section.paragraphs) children.push(new Paragraph({ spacing: { after: 120 }, children: [new TextRun(paragraph)] }));
    for (const block of section.blocks) {
      if (block.kind === 'figure') {
        children.push(...figureOf(report, block, portraitWidth));
      } else if (block.columns.length > WIDE) {
        close(false);
        children.push(...tableOf(report, block, words, landscapeWidth));
        close(true);
      } else {
        children.push(...tableOf(report, block, words, portraitWidth));
      }
    }
  });
  close(false);

  const document = new Document({
    creator: 'Paydaş',
    title: `${report.title} – ${report.subtitle}`,
    styles: {
      default: { document: { run: { font: FONT, size: 22 } } },
      paragraphStyles: [
        { id: 'Caption', name: 'Caption', basedOn: 'Normal', next: 'Normal', quickFormat: true, run: { bold: true, size: 20 }, paragraph: { spacing: { before: 200, after: 80 } } },
        { id: 'TableNote', name: 'Table Note', basedOn: 'Normal', next: 'Normal', run: { size: 16, italics: true }, paragraph: { spacing: { before: 40, after: 40 } } },
      ],
    },
    sections,
  });
  return Packer.toBuffer(document);
}
