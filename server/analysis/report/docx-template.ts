// The municipality's own Word template for the report: its page, header, footer and styles, with
// the section written where the template says {{paydas_analizi}}. The section's paragraphs name
// Word's built-in styles by their English ids (Heading2, Caption); a template made in Turkish Word
// names them otherwise (Balk2, ResimYazs), so they are matched by their built-in names ("heading 2",
// "caption") and renamed. Styles the template lacks (the table style, Table Text…) are copied in.
import JSZip from 'jszip';
import { patchDetector, patchDocument, PatchType, type FileChild } from 'docx';

/** Written {{paydas_analizi}} in a paragraph of its own. */
export const TEMPLATE_PLACEHOLDER = 'paydas_analizi';
/** The upload itself. */
export const MAX_TEMPLATE_BYTES = 5 * 1024 * 1024;
/** What any part may unpack to: a template is a few hundred kilobytes, a zip bomb is not. */
const MAX_PART_BYTES = 20 * 1024 * 1024;

export type TemplateProblem = 'not_docx' | 'no_placeholder';

/** The text area of the template's page (its last section's size less its margins), in twips. */
export type TemplateRead = { ok: true; area: { width: number; height: number } } | { ok: false; problem: TemplateProblem };

const A4_AREA = { width: 11906 - 2 * 1134, height: 16838 - 2 * 1134 };

/** An attribute of the first element of that name in the XML, as a number of twips. */
function twips(xml: string, element: string, attribute: string): number | null {
  const tag = new RegExp(`<w:${element}\\b[^>]*>`).exec(xml)?.[0];
  const value = tag ? new RegExp(`\\bw:${attribute}="(-?\\d+)"`).exec(tag)?.[1] : undefined;
  return value === undefined ? null : Number(value);
}

async function partOf(zip: JSZip, name: string): Promise<string | null> {
  const file = zip.file(name);
  if (!file) return null;
  // JSZip keeps each entry's unpacked size from the zip's directory: checked before unpacking.
  const size = (file as unknown as { _data?: { uncompressedSize?: number } })._data?.uncompressedSize;
  if (size !== undefined && size > MAX_PART_BYTES) return null;
  const text = await file.async('string');
  return text.length > MAX_PART_BYTES ? null : text;
}

/** Whether a file is a Word document with the placeholder, and the text area of its page. */
export async function readTemplate(buffer: Buffer): Promise<TemplateRead> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(buffer);
  } catch {
    return { ok: false, problem: 'not_docx' };
  }
  const document = await partOf(zip, 'word/document.xml');
  if (document === null || !document.includes('<w:body')) return { ok: false, problem: 'not_docx' };
  let keys: readonly string[];
  try {
    keys = await patchDetector({ data: buffer });
  } catch {
    return { ok: false, problem: 'not_docx' };
  }
  if (!keys.includes(TEMPLATE_PLACEHOLDER)) return { ok: false, problem: 'no_placeholder' };
  // The body's own section properties come last in it.
  const section = document.slice(document.lastIndexOf('<w:sectPr'));
  const width = twips(section, 'pgSz', 'w');
  const height = twips(section, 'pgSz', 'h');
  const left = twips(section, 'pgMar', 'left') ?? 1134;
  const right = twips(section, 'pgMar', 'right') ?? 1134;
  const top = twips(section, 'pgMar', 'top') ?? 1134;
  const bottom = twips(section, 'pgMar', 'bottom') ?? 1134;
  if (width === null || height === null) return { ok: true, area: A4_AREA };
  // A landscape template's section is turned: its width is the long side.
  return { ok: true, area: { width: Math.max(2000, width - left - right), height: Math.max(2000, height - Math.abs(top) - Math.abs(bottom)) } };
}

interface StyleDef {
  id: string;
  /** The style's name, lower case: Word's built-in names are English whatever the language. */
  name: string;
  xml: string;
}

function stylesIn(xml: string): StyleDef[] {
  return [...xml.matchAll(/<w:style\b[^>]*>[\s\S]*?<\/w:style>/g)].map((m) => ({
    id: /w:styleId="([^"]*)"/.exec(m[0])?.[1] ?? '',
    name: (/<w:name w:val="([^"]*)"/.exec(m[0])?.[1] ?? '').toLowerCase(),
    xml: m[0],
  }));
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The template with the section in place of its placeholder, its styles completed with the
 * section's (taken from a document written with them, `styleSource`).
 */
export async function intoTemplate(template: Buffer, children: FileChild[], styleSource: Buffer): Promise<Buffer> {
  const patched = await patchDocument({
    outputType: 'nodebuffer',
    data: template,
    patches: { [TEMPLATE_PLACEHOLDER]: { type: PatchType.DOCUMENT, children } },
    keepOriginalStyles: false,
  });
  const zip = await JSZip.loadAsync(patched);
  const own = stylesIn((await zip.file('word/styles.xml')?.async('string')) ?? '');
  const ours = stylesIn((await (await JSZip.loadAsync(styleSource)).file('word/styles.xml')!.async('string')) ?? '');
  let document = await zip.file('word/document.xml')!.async('string');
  let styles = (await zip.file('word/styles.xml')?.async('string')) ?? '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"></w:styles>';
  const added: string[] = [];
  for (const style of ours) {
    const used = new RegExp(`<w:(?:pStyle|rStyle|tblStyle) w:val="${escapeRegExp(style.id)}"`).test(document);
    if (!used || own.some((s) => s.id === style.id && s.name === style.name)) continue;
    const same = own.find((s) => s.name === style.name);
    if (same) {
      // The template's own style of that name (a heading, the caption): the section takes its look.
      document = document.replace(new RegExp(`(<w:(?:pStyle|rStyle|tblStyle) w:val=")${escapeRegExp(style.id)}(")`, 'g'), `$1${same.id}$2`);
    } else if (!own.some((s) => s.id === style.id)) {
      added.push(style.xml);
    }
  }
  if (added.length > 0) styles = styles.replace('</w:styles>', `${added.join('')}</w:styles>`);
  zip.file('word/document.xml', document);
  zip.file('word/styles.xml', styles);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
