import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { csvDialect, safeCell, uniqueSheetName, writeCsv, writeXlsx } from '../../server/platform/export/writers';
import { excelValue, readCsvAsExcel } from '../helpers/excel-csv';

function sink(): { stream: Writable; body: () => Buffer } {
  const chunks: Buffer[] = [];
  return {
    stream: new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
    }),
    body: () => Buffer.concat(chunks),
  };
}

describe('safeCell', () => {
  it.each(['=1+1', '+90 555', '-5 derece', '@SUM(A1)', '\tsekme', '\rsatır'])('neutralises the text %j', (text) => {
    expect(safeCell(text)).toBe(`'${text}`);
  });
  it('leaves ordinary texts, numbers (also negative) and empty cells alone', () => {
    expect(safeCell('Çevre = önemli')).toBe('Çevre = önemli');
    expect(safeCell(-5)).toBe(-5);
    expect(safeCell(null)).toBeNull();
  });
});

describe('uniqueSheetName', () => {
  it('keeps names within Excel\'s 31 characters, without forbidden characters, unique', () => {
    const taken = new Set<string>();
    expect(uniqueSheetName('a/b:c', taken)).toBe('a b c');
    const long = 'x'.repeat(40);
    expect(uniqueSheetName(long, taken)).toBe('x'.repeat(31));
    expect(uniqueSheetName(long, taken)).toBe(`${'x'.repeat(29)}~2`);
    expect(uniqueSheetName('X'.repeat(31), taken)).toBe(`${'X'.repeat(29)}~3`);
  });
});

describe('writers', () => {
  const header = [['id', 'text'], ['No', 'Metin']];
  const rows = [
    [1, 'İstanbul, "tırnak"'],
    [2, '=cmd|\' /C calc\'!A0'],
  ];

  it('write CSV with a BOM that parses back to the same cells, formulas neutralised', async () => {
    const out = sink();
    await writeCsv(out.stream, header, rows, 'en');
    expect([...out.body().subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(parseCsv(out.body().toString('utf8'), { bom: true })).toEqual([
      ['id', 'text'],
      ['No', 'Metin'],
      ['1', 'İstanbul, "tırnak"'],
      ['2', '\'=cmd|\' /C calc\'!A0'],
    ]);
  });

  it('write XLSX sheets that read back with numbers as numbers and bold headers', async () => {
    const out = sink();
    async function* streamed() {
      yield* rows;
    }
    await writeXlsx(out.stream, [{ name: 'Yanıtlar', header, rows: streamed() }, { name: 'Kod kitabı', header: [['a']], rows: [] }]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(out.body() as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Yanıtlar')!;
    expect(sheet.getRow(1).font?.bold).toBe(true);
    expect(sheet.getRow(3).values).toEqual([undefined, 1, 'İstanbul, "tırnak"']);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Yanıtlar', 'Kod kitabı']);
  });

  describe('in XLSX, where every text is a typed string cell that no spreadsheet runs', () => {
    const texts = ['- Kaldırımlar onarılmalı', '+90 312 555 12 34', '=cmd|\' /C calc\'!A0', '@SUM(A1)', '=1+1'];

    it('writes texts as they were typed, without an apostrophe, and never as a formula', async () => {
      const out = sink();
      await writeXlsx(out.stream, [{ name: 'Yanıtlar', header: [['Metin', 'Sayı']], rows: texts.map((text) => [text, -5]) }]);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(out.body() as unknown as ArrayBuffer);
      const sheet = workbook.getWorksheet('Yanıtlar')!;
      const cells = texts.map((_, i) => sheet.getRow(i + 2).getCell(1));
      expect(cells.map((cell) => cell.value)).toEqual(texts);
      expect(cells.map((cell) => cell.type)).toEqual(texts.map(() => ExcelJS.ValueType.String));
      expect(sheet.getRow(2).getCell(2).value).toBe(-5);
      // The sheet's XML: each text a string cell holding the text, and no formula anywhere.
      const xml = await (await JSZip.loadAsync(out.body())).file('xl/worksheets/sheet1.xml')!.async('string');
      expect(xml).not.toMatch(/<f[ >]/);
      expect(xml).toContain('<c r="A2" t="str"><v>- Kaldırımlar onarılmalı</v></c>');
      expect(xml).toContain('<c r="A6" t="str"><v>=1+1</v></c>');
    });
  });

  it('write CSV texts starting with - or + neutralised too: a CSV cell has no type', async () => {
    const out = sink();
    await writeCsv(out.stream, [['Metin']], [['- Kaldırımlar'], ['+90 312']], 'tr');
    expect(readCsvAsExcel(out.body(), 'tr')).toEqual([['Metin'], ["'- Kaldırımlar"], ["'+90 312"]]);
  });
});

describe('CSV in the reader\'s dialect, as Excel opens it with their regional settings', () => {
  const header = [['Alan', 'Ortalama', 'Sayı', 'Not']];
  const rows = [
    ['Temizlik', 3.74, 1500, 'Kadıköy; Moda, "sahil" 3.5'],
    ['=1+1', -0.5, 0, null],
  ];

  it('for a Turkish reader: semicolons, a decimal comma in numbers only, no thousands separator, quotes where needed, CRLF after a BOM', async () => {
    const out = sink();
    await writeCsv(out.stream, header, rows, 'tr');
    expect(out.body().toString('utf8')).toBe(
      '\ufeffAlan;Ortalama;Sayı;Not\r\n' + 'Temizlik;3,74;1500;"Kadıköy; Moda, ""sahil"" 3.5"\r\n' + "'=1+1;-0,5;0;\r\n",
    );
    const cells = readCsvAsExcel(out.body(), 'tr');
    expect(cells.map((row) => row.map((cell) => excelValue(cell, 'tr')))).toEqual([
      ['Alan', 'Ortalama', 'Sayı', 'Not'],
      ['Temizlik', 3.74, 1500, 'Kadıköy; Moda, "sahil" 3.5'],
      ["'=1+1", -0.5, 0, ''],
    ]);
  });

  it('for an English reader: commas and a decimal point, quotes where needed, CRLF after a BOM', async () => {
    const out = sink();
    await writeCsv(out.stream, header, rows, 'en');
    expect(out.body().toString('utf8')).toBe(
      '\ufeffAlan,Ortalama,Sayı,Not\r\n' + 'Temizlik,3.74,1500,"Kadıköy; Moda, ""sahil"" 3.5"\r\n' + "'=1+1,-0.5,0,\r\n",
    );
    const cells = readCsvAsExcel(out.body(), 'en');
    expect(cells.map((row) => row.map((cell) => excelValue(cell, 'en')))).toEqual([
      ['Alan', 'Ortalama', 'Sayı', 'Not'],
      ['Temizlik', 3.74, 1500, 'Kadıköy; Moda, "sahil" 3.5'],
      ["'=1+1", -0.5, 0, ''],
    ]);
  });

  it('never rewrites a text that looks like a number: only number cells take the decimal comma', async () => {
    const out = sink();
    await writeCsv(out.stream, [['Metin', 'Sayı']], [['3.74', 3.74], ['1.500', 1.5]], 'tr');
    expect(readCsvAsExcel(out.body(), 'tr')).toEqual([['Metin', 'Sayı'], ['3.74', '3,74'], ['1.500', '1,5']]);
  });

  it('csvDialect names the separators of each language\'s regional settings', () => {
    expect(csvDialect('tr')).toEqual({ delimiter: ';', decimalSeparator: ',', bom: true });
    expect(csvDialect('en')).toEqual({ delimiter: ',', decimalSeparator: '.', bom: true });
  });
});

describe('a large XLSX', () => {
  it('is compressed into its spool while the rows are read: they wait for the zip instead of piling up in memory', async () => {
    const spools = () => fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('paydas-export-'));
    const before = new Set(spools());
    const spooledBytes = () =>
      Math.max(0, ...spools().filter((name) => !before.has(name)).map((name) => fs.statSync(path.join(os.tmpdir(), name, 'export.xlsx'), { throwIfNoEntry: false })?.size ?? 0));
    let spooledAtLastRow = -1;
    // Rows that never give the event loop a turn, as rows from SQLite do: 20 MB of sheet XML.
    async function* rows() {
      const cells = Array.from({ length: 100 }, (_, i) => `hücre ${i}`);
      for (let i = 0; i < 5_000; i++) yield [i, ...cells];
      spooledAtLastRow = spooledBytes();
    }
    const out = sink();
    await writeXlsx(out.stream, [{ name: 'Yanıtlar', header: [['id']], rows: rows() }]);
    // Piled up, nothing was compressed (the spool was not even open) until the last row was read.
    expect(spooledAtLastRow).toBeGreaterThan(out.body().length / 2);
  });

  it('fails with the spool\'s error when the disk is full, instead of waiting for the zip for ever', async () => {
    const createWriteStream = fs.createWriteStream;
    // The spool takes 300 KB and then fails as a full disk does; other files are left alone.
    const full = jest.spyOn(fs, 'createWriteStream').mockImplementation(((file: fs.PathLike, options?: unknown) => {
      if (!String(file).endsWith('export.xlsx')) return createWriteStream(file, options as BufferEncoding);
      let written = 0;
      return new Writable({
        write(chunk: Buffer, _encoding, done) {
          written += chunk.length;
          done(written > 300_000 ? Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }) : undefined);
        },
      });
    }) as typeof fs.createWriteStream);
    try {
      async function* rows() {
        const cells = Array.from({ length: 100 }, (_, i) => `hücre ${i}`);
        for (let i = 0; i < 20_000; i++) yield [i, ...cells];
      }
      await expect(writeXlsx(sink().stream, [{ name: 'Yanıtlar', header: [['id']], rows: rows() }])).rejects.toMatchObject({ code: 'ENOSPC' });
    } finally {
      full.mockRestore();
    }
  });
});

describe('a slow or cancelled download', () => {
  /** A reader that takes nothing until told to, as a stalled connection does. */
  function stalled() {
    return new Writable({ highWaterMark: 16 * 1024, write() {} });
  }
  function source(count = 200_000) {
    const state = { produced: 0, finished: false };
    let ended!: () => void;
    const finished = new Promise<void>((resolve) => (ended = resolve));
    async function* rows() {
      try {
        for (let i = 0; i < count; i++) {
          state.produced++;
          yield [i, `satır ${i} `.repeat(4)];
        }
      } finally {
        state.finished = true;
        ended();
      }
    }
    return { state, rows: rows(), finished };
  }
  /**
   * Resolves once `turns` turns of the event loop in a row read no new row. The CSV path does no
   * I/O, so a writer that kept reading would read in every turn: this counts work, not time.
   */
  async function readingStops(state: { produced: number }, turns: number): Promise<void> {
    for (let quiet = 0, last = state.produced; quiet < turns; ) {
      await new Promise((resolve) => setImmediate(resolve));
      if (state.produced === last) quiet++;
      else [quiet, last] = [0, state.produced];
    }
  }

  it('CSV stops reading rows while the reader is behind, and stops for good when it goes away', async () => {
    const out = stalled();
    const { state, rows } = source();
    const writing = writeCsv(out, [['id', 'text']], rows, 'tr');
    writing.catch(() => undefined);
    await readingStops(state, 20);
    expect(state.produced).toBeGreaterThan(0);
    expect(state.produced).toBeLessThan(20_000);
    const producedWhileStalled = state.produced;
    await readingStops(state, 500);
    expect(state.produced).toBe(producedWhileStalled);
    out.destroy();
    await expect(writing).rejects.toBeDefined();
    expect(state.finished).toBe(true);
  });

  it('XLSX is spooled to a temporary file, sent at the reader\'s pace, and the file goes when the reader does', async () => {
    const before = fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('paydas-export-')).length;
    const out = stalled();
    const { state, rows, finished } = source(20_000);
    const writing = writeXlsx(out, [{ name: 'Yanıtlar', header: [['id', 'text']], rows }]);
    writing.catch(() => undefined);
    // Every row is read into the spool although the reader takes nothing.
    await finished;
    expect(state.produced).toBe(20_000);
    expect(fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('paydas-export-')).length).toBe(before + 1);
    out.destroy();
    await expect(writing).rejects.toBeDefined();
    expect(fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('paydas-export-')).length).toBe(before);
  }, 30_000);
});
