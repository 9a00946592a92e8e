// The municipality's Word template: a planner uploads the plan's .docx with {{paydas_analizi}} in
// it, and the DOCX export is the template with the section in that place, in the template's page,
// header and heading styles (named as Turkish Word names them), rendered by LibreOffice. Bad files
// are refused with a message and change nothing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AlignmentType, Document, Footer, Header, Packer, Paragraph, TextRun } from 'docx';
import JSZip from 'jszip';
import type TestAgent from 'supertest/lib/agent';
import { addUser, downloadBinary, logIn } from '../../helpers/admin';
import { docxToPdf, flowingText, pdfText, pageCount } from '../../helpers/pdf';
import { REPORT_DAY, REPORT_SURVEYS, seedReport } from '../../helpers/report';
import { createTestApp, type TestApp } from '../../helpers/test-app';

const HEADER = 'YEŞİLVADİ BELEDİYESİ 2025-2029 STRATEJİK PLANI';
/** 2.5 cm margins: the template's text area is narrower than the plain export's. */
const MARGIN = 1418;

/**
 * A plan template as Turkish Word writes one: its heading and caption styles under Turkish ids
 * (Balk2, ResimYazs). The docx library adds English-named built-ins of its own; they are taken out,
 * as Turkish Word has none of them.
 */
async function planTemplate(placeholder = '{{paydas_analizi}}', header = HEADER): Promise<Buffer> {
  const zip = await JSZip.loadAsync(await writtenTemplate(placeholder, header));
  const styles = await zip.file('word/styles.xml')!.async('string');
  zip.file('word/styles.xml', styles.replace(/<w:style\b[^>]*w:styleId="(?:Title|Heading\d|Caption)"[^>]*>[\s\S]*?<\/w:style>/g, ''));
  return zip.generateAsync({ type: 'nodebuffer' });
}

/** The file with one more part in it. */
async function withPart(docx: Buffer, name: string, content: string): Promise<Buffer> {
  const zip = await JSZip.loadAsync(docx);
  zip.file(name, content);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** The file with the packed bytes of its document part overwritten in the middle: it does not unpack. */
async function corrupted(docx: Buffer): Promise<Buffer> {
  const packed = await (await JSZip.loadAsync(docx)).generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  const at = packed.indexOf('word/document.xml') + 'word/document.xml'.length;
  const broken = Buffer.from(packed);
  broken.fill(0xff, at + 40, at + 120);
  return broken;
}

async function writtenTemplate(placeholder: string, header: string): Promise<Buffer> {
  return Packer.toBuffer(
    new Document({
      styles: {
        paragraphStyles: [
          { id: 'Balk2', name: 'heading 2', basedOn: 'Normal', run: { bold: true, color: 'C00000', size: 30 } },
          { id: 'ResimYazs', name: 'caption', basedOn: 'Normal', run: { italics: true, color: '1F4E79', size: 18 } },
        ],
      },
      sections: [
        {
          properties: { page: { margin: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN } } },
          headers: { default: new Header({ children: [new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun(header)] })] }) },
          footers: { default: new Footer({ children: [new Paragraph('Yeşilvadi Belediyesi Strateji Geliştirme Müdürlüğü')] }) },
          children: [
            new Paragraph({ style: 'Balk2', children: [new TextRun('2.4 Durum Analizi')] }),
            new Paragraph('Bu bölümde paydaş analizinin sonuçları yer almaktadır.'),
            new Paragraph(placeholder),
            new Paragraph('2.5 GZFT Analizi bölümü burada başlar.'),
          ],
        },
      ],
    }),
  );
}

let t: TestApp;
let planner: TestAgent;
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paydas-template-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  t = await createTestApp({ surveysDir: REPORT_SURVEYS });
  await seedReport(t);
  t.clock.now = REPORT_DAY;
  planner = await logIn(t, await addUser(t, 'planner'));
}, 60_000);
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

async function upload(agent: TestAgent, name: string, content: Buffer) {
  const page = await agent.get('/admin/report/template');
  const token = /action="\/admin\/report\/template\?_csrf=([^"]+)"/.exec(page.text)![1]!;
  return agent.post(`/admin/report/template?_csrf=${token}`).attach('template', content, name);
}

const stored = () => t.db.selectFrom('report_templates').select(['kind', 'file_name']).execute();
const audits = () => t.db.selectFrom('audit_events').select(['action', 'target']).where('action', 'in', ['report.template_uploaded', 'report.template_removed']).orderBy('id').execute();
const main = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));

async function parts(buffer: Buffer): Promise<Record<string, string>> {
  const zip = await JSZip.loadAsync(buffer);
  const names = Object.keys(zip.files).filter((name) => name.endsWith('.xml'));
  return Object.fromEntries(await Promise.all(names.map(async (name) => [name, await zip.file(name)!.async('string')] as const)));
}

describe('uploading a template', () => {
  it('refuses what is not a usable template with a message, storing nothing', async () => {
    const cases: [string, Buffer, number, string][] = [
      ['notlar.txt', Buffer.from('düz metin'), 422, 'Dosya bir Word belgesi (.docx) değil ya da okunamıyor.'],
      ['bozuk.docx', Buffer.from('PK bu bir zip değil'), 422, 'Dosya bir Word belgesi (.docx) değil ya da okunamıyor.'],
      ['yer-tutucusuz.docx', await planTemplate('Paydaş analizi buraya gelecek.'), 422, 'Şablonda {{paydas_analizi}} yer tutucusu bulunamadı'],
      ['cok-buyuk.docx', Buffer.alloc(5 * 1024 * 1024 + 1, 1), 413, 'Dosya çok büyük: şablon en çok 5 MB olabilir.'],
      // A few kilobytes that unpack to 25 MB, in a part the library would read whole.
      ['bomba.docx', await withPart(await planTemplate(), 'word/header9.xml', 'a'.repeat(25 * 1024 * 1024)), 422, 'Dosyanın içindeki bölümler açıldığında çok büyük'],
      ['bozuk-bolum.docx', await corrupted(await planTemplate()), 422, 'Dosya bir Word belgesi (.docx) değil ya da okunamıyor.'],
      ['ustbilgide.docx', await planTemplate('Bu bölüm boş kalacak.', '{{paydas_analizi}}'), 422, 'Şablonda {{paydas_analizi}} yer tutucusu bulunamadı'],
    ];
    for (const [name, content, status, message] of cases) {
      const res = await upload(planner, name, content);
      expect({ name, status: res.status }).toEqual({ name, status });
      expect(main(res.text)).toContain(message);
    }
    const page = await planner.get('/admin/report/template');
    const token = /action="\/admin\/report\/template\?_csrf=([^"]+)"/.exec(page.text)![1]!;
    const empty = await planner.post(`/admin/report/template?_csrf=${token}`).field('x', '1');
    expect(empty.status).toBe(422);
    expect(main(empty.text)).toContain('Bir .docx dosyası seçin.');
    expect(await stored()).toEqual([]);
    expect(await audits()).toEqual([]);
  });

  it('is for report managers only, and a forged upload (no CSRF token) changes nothing', async () => {
    const viewer = await logIn(t, await addUser(t, 'viewer'));
    expect((await viewer.get('/admin/report/template')).status).toBe(403);
    const forged = await planner.post('/admin/report/template').attach('template', await planTemplate(), 'plan.docx');
    expect(forged.status).toBe(403);
    expect(await stored()).toEqual([]);
  });
});

describe('the DOCX in the template', () => {
  beforeEach(async () => {
    const res = await upload(planner, 'Yeşilvadi SP şablonu.docx', await planTemplate());
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/report/template');
  });

  it('is stored with its name and an audit event, and the report page offers both Word files', async () => {
    expect(await stored()).toEqual([{ kind: 'docx', file_name: 'Yeşilvadi SP şablonu.docx' }]);
    expect(await audits()).toEqual([{ action: 'report.template_uploaded', target: 'Yeşilvadi SP şablonu.docx' }]);
    const page = main((await planner.get('/admin/report/template')).text);
    expect(page).toContain('Şablon kaydedildi');
    expect(page).toContain('Yeşilvadi SP şablonu.docx');
    const report = (await planner.get('/admin/report')).text;
    expect(report).toContain('href="/admin/report.docx?plain"');
    expect(report).toContain('belediye şablonuyla (Yeşilvadi SP şablonu.docx)');
  });

  it('is the template with the section in place of the placeholder, in its header and heading styles', async () => {
    const res = await downloadBinary(planner, '/admin/report.docx');
    expect(res.status).toBe(200);
    const xml = await parts(res.body as Buffer);
    const document = xml['word/document.xml']!;
    const text = (from: string) => [...from.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
    const body = text(document);
    expect(body).not.toContain('{{paydas_analizi}}');
    // In order: the template's text, the section, the template's next part.
    const order = ['Bu bölümde paydaş analizinin sonuçları', 'Dış Paydaş Analizi', 'Tablo 1: Paydaş Listesi', '2.5 GZFT Analizi bölümü burada başlar.'].map((s) => body.indexOf(s));
    expect(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
    expect(Object.entries(xml).some(([name, content]) => name.startsWith('word/header') && content.includes(HEADER))).toBe(true);
    // The section's headings and captions take the template's own styles, named as Turkish Word names them…
    expect(document).toContain('<w:pStyle w:val="Balk2"/>');
    expect(document).toContain('<w:pStyle w:val="ResimYazs"/>');
    expect(document).not.toContain('<w:pStyle w:val="Heading2"/>');
    expect(document).not.toContain('<w:pStyle w:val="Caption"/>');
    // …and the styles the template lacks are added, once.
    const styles = xml['word/styles.xml']!;
    for (const id of ['PaydasTable', 'TableText', 'TableNote']) expect(styles.match(new RegExp(`w:styleId="${id}"`, 'g'))).toHaveLength(1);
    expect(styles.match(/w:styleId="Balk2"/g)).toHaveLength(1);
    // Still Word fields, and tables as wide as the template's text area.
    expect(document).toContain('w:instr="SEQ Tablo \\* ARABIC"');
    for (const grid of document.matchAll(/<w:tblGrid>([\s\S]*?)<\/w:tblGrid>/g)) {
      const width = [...grid[1]!.matchAll(/w:w="(\d+)"/g)].reduce((sum, m) => sum + Number(m[1]), 0);
      expect(width).toBeLessThanOrEqual(11906 - 2 * MARGIN);
    }
    const zip = await JSZip.loadAsync(res.body as Buffer);
    expect(Object.keys(zip.files).filter((name) => name.startsWith('word/media/'))).toHaveLength(3);
  });

  it('renders in LibreOffice with the template\'s header on its pages and every caption', async () => {
    const file = path.join(dir, 'sablonlu.docx');
    fs.writeFileSync(file, (await downloadBinary(planner, '/admin/report.docx')).body as Buffer);
    const pdf = docxToPdf(file);
    expect(pageCount(pdf)).toBeGreaterThan(3);
    for (const page of [1, 2, pageCount(pdf)]) expect(pdfText(pdf, page)).toContain(HEADER);
    const text = flowingText(pdf);
    expect(text).toContain('Tablo 1: Paydaş Listesi');
    expect(text).toContain('2.5 GZFT Analizi bölümü burada başlar.');
  }, 150_000);

  it('tells the planner, instead of failing, when the kept template cannot take today\'s report', async () => {
    // A template that stopped working (stored as it is, past the upload's check).
    await t.db.updateTable('report_templates').set({ content_base64: Buffer.from('artık bir Word belgesi değil').toString('base64') }).execute();
    const res = await planner.get('/admin/report.docx');
    expect(res.status).toBe(409);
    expect(main(res.text)).toContain('yüklenen Word şablonunun içine yazılamadı');
    expect((await downloadBinary(planner, '/admin/report.docx?plain')).status).toBe(200);
  });

  it('is left out on asking for the section alone, and once removed the export is the section again', async () => {
    const plain = await parts((await downloadBinary(planner, '/admin/report.docx?plain')).body as Buffer);
    expect(Object.values(plain).some((content) => content.includes(HEADER))).toBe(false);
    const page = await planner.get('/admin/report/template');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const removed = await planner.post('/admin/report/template/delete').type('form').send({ _csrf: token });
    expect(removed.status).toBe(303);
    expect(await stored()).toEqual([]);
    expect((await audits()).map((a) => a.action)).toEqual(['report.template_uploaded', 'report.template_removed']);
    const after = await parts((await downloadBinary(planner, '/admin/report.docx')).body as Buffer);
    expect(Object.values(after).some((content) => content.includes(HEADER))).toBe(false);
    expect(after['word/document.xml']).toContain('<w:pStyle w:val="Caption"/>');
  });
});
