// The DOCX's named styles, the ones a Strategic Plan template already has and takes over when the
// section is pasted into it: Normal, Heading 1–3, Caption, Table Text, Table Note and the table
// style "Paydaş Tablo". Every style carries the report's language, so Word checks spelling and
// hyphenates in Turkish.
import type { IStylesOptions } from 'docx';

export const FONT = 'Calibri';
/** Font sizes in points. */
export const SIZES = { body: 11, table: 8, caption: 10, note: 8 } as const;
export const TABLE_STYLE = 'PaydasTable';
export const TABLE_TEXT = 'TableText';
export const TABLE_NOTE = 'TableNote';
export const HEADER_FILL = 'D9E2F3';

/** The language tag Word expects for the report's language. */
export const wordLanguage = (language: string): string => (language === 'en' ? 'en-US' : 'tr-TR');

const half = (pt: number) => pt * 2;

/**
 * The table style, which docx has no option for: written as Word writes it, in a styles part the
 * docx library merges its own styles into (its external styles).
 */
export function tableStyles(language: string): string {
  const lang = wordLanguage(language);
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
    `<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
    `<w:style w:type="table" w:customStyle="1" w:styleId="${TABLE_STYLE}"><w:name w:val="Paydaş Tablo"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:qFormat/>` +
    `<w:pPr><w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:rFonts w:ascii="${FONT}" w:hAnsi="${FONT}" w:cs="${FONT}"/><w:sz w:val="${half(SIZES.table)}"/><w:lang w:val="${lang}"/></w:rPr>` +
    `<w:tblPr><w:tblBorders>${['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map((side) => `<w:${side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>`).join('')}</w:tblBorders>` +
    `<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="57" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr>` +
    `<w:tblStylePr w:type="firstRow"><w:rPr><w:b/></w:rPr><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="${HEADER_FILL}"/></w:tcPr></w:tblStylePr></w:style>` +
    '</w:styles>'
  );
}

export function reportStyles(language: string): IStylesOptions {
  const lang = { value: wordLanguage(language) };
  const heading = (size: number) => ({
    run: { font: FONT, size: half(size), bold: true, color: '1F3864', language: lang },
    paragraph: { spacing: { before: 240, after: 120 }, keepNext: true, keepLines: true },
  });
  return {
    default: {
      document: { run: { font: FONT, size: half(SIZES.body), language: lang }, paragraph: { spacing: { after: 120 } } },
      heading1: heading(16),
      heading2: heading(14),
      heading3: heading(12),
      caption: { run: { font: FONT, bold: true, size: half(SIZES.caption), language: lang }, paragraph: { spacing: { before: 200, after: 80 }, keepNext: true } },
    },
    paragraphStyles: [
      { id: 'Normal', name: 'Normal', quickFormat: true, run: { font: FONT, size: half(SIZES.body), language: lang } },
      { id: TABLE_TEXT, name: 'Table Text', basedOn: 'Normal', quickFormat: true, run: { size: half(SIZES.table), language: lang }, paragraph: { spacing: { before: 20, after: 20 } } },
      { id: TABLE_NOTE, name: 'Table Note', basedOn: 'Normal', next: 'Normal', run: { size: half(SIZES.note), italics: true, language: lang }, paragraph: { spacing: { before: 40, after: 160 } } },
    ],
  };
}
