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
/**
 * What one part and all parts may unpack to: a template is a few megabytes unpacked, a zip bomb
 * is gigabytes. Counted while unpacking, not taken from the zip's own (forgeable) directory.
 */
const MAX_PART_BYTES = 20 * 1024 * 1024;
const MAX_TOTAL_BYTES = 60 * 1024 * 1024;
const MAX_PARTS = 2000;

export type TemplateProblem = 'not_docx' | 'no_placeholder' | 'unpacked_too_large';

/** The text area of the page of the template's section where the placeholder is, in twips. */
export type TemplateRead = { ok: true; area: { width: number; height: number } } | { ok: false; problem: TemplateProblem };

const A4_AREA = { width: 11906 - 2 * 1134, height: 16838 - 2 * 1134 };

/** An attribute of the first element of that name in the XML, as a number of twips. */
function twips(xml: string, element: string, attribute: string): number | null {
  const tag = new RegExp(`<w:${element}\\b[^>]*>`).exec(xml)?.[0];
  const value = tag ? new RegExp(`\\bw:${attribute}="(-?\\d+)"`).exec(tag)?.[1] : undefined;
  return value === undefined ? null : Number(value);
}

/** A part's unpacked size, counted as it unpacks and stopped at the limit. */
function unpackedSize(file: JSZip.JSZipObject, limit: number): Promise<number | 'too_large' | 'broken'> {
  return new Promise((resolve) => {
    let size = 0;
    const stream = file.nodeStream('nodebuffer') as NodeJS.ReadableStream & { destroy?: () => void };
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        resolve('too_large');
        // Nothing reads it any more: the unpacking stops where it is.
        stream.destroy?.();
      }
    });
    stream.on('error', () => resolve('broken'));
    stream.on('end', () => resolve(size));
  });
}

async function checkedZip(buffer: Buffer): Promise<JSZip | TemplateProblem> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(buffer);
  } catch {
    return 'not_docx';
  }
  const files = Object.values(zip.files).filter((file) => !file.dir);
  if (files.length > MAX_PARTS) return 'unpacked_too_large';
  let total = 0;
  for (const file of files) {
    const size = await unpackedSize(file, MAX_PART_BYTES);
    if (size === 'broken') return 'not_docx';
    if (size === 'too_large' || (total += size) > MAX_TOTAL_BYTES) return 'unpacked_too_large';
  }
  return zip;
}

/** The text of a document part's runs, joined: a placeholder Word split over runs reads whole. */
const textOf = (xml: string) => [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');

/** Whether a file is a Word document with the placeholder in its body, and the text area of its page there. */
export async function readTemplate(buffer: Buffer): Promise<TemplateRead> {
  try {
    const zip = await checkedZip(buffer);
    if (typeof zip === 'string') return { ok: false, problem: zip };
    const document = await zip.file('word/document.xml')?.async('string');
    if (!document || !document.includes('<w:body')) return { ok: false, problem: 'not_docx' };
    // In the body, not in a header or footer: the section goes where the placeholder stands.
    if (!textOf(document).includes(`{{${TEMPLATE_PLACEHOLDER}}}`)) return { ok: false, problem: 'no_placeholder' };
    if (!(await patchDetector({ data: buffer })).includes(TEMPLATE_PLACEHOLDER)) return { ok: false, problem: 'no_placeholder' };
    // The section the placeholder is in ends at the first section properties after it.
    const at = document.indexOf(TEMPLATE_PLACEHOLDER);
    const from = at >= 0 && document.indexOf('<w:sectPr', at) >= 0 ? document.indexOf('<w:sectPr', at) : document.lastIndexOf('<w:sectPr');
    const section = from >= 0 ? document.slice(from) : '';
    const width = twips(section, 'pgSz', 'w');
    const height = twips(section, 'pgSz', 'h');
    if (width === null || height === null) return { ok: true, area: A4_AREA };
    const margin = (side: string) => Math.abs(twips(section, 'pgMar', side) ?? 1134);
    return { ok: true, area: { width: Math.max(2000, width - margin('left') - margin('right')), height: Math.max(2000, height - margin('top') - margin('bottom')) } };
  } catch {
    // A part that does not parse, however it fails.
    return { ok: false, problem: 'not_docx' };
  }
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
      // A function, not a replacement string: a style id may hold "$" patterns.
      document = document.replace(new RegExp(`(<w:(?:pStyle|rStyle|tblStyle) w:val=")${escapeRegExp(style.id)}(")`, 'g'), (_match, before: string, after: string) => `${before}${same.id}${after}`);
    } else if (!own.some((s) => s.id === style.id)) {
      added.push(style.xml);
    }
  }
  if (added.length > 0) styles = styles.replace('</w:styles>', () => `${added.join('')}</w:styles>`);
  zip.file('word/document.xml', document);
  zip.file('word/styles.xml', styles);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
