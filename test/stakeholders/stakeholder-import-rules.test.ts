import { decodeText } from '../../server/platform/import/spreadsheet';
import { splitAreas } from '../../server/stakeholders/stakeholder-import';
import { windows1254 } from '../helpers/windows-1254';

describe('splitAreas', () => {
  const known: Record<string, string> = { 'yol, kaldırım ve altyapı': 'yol', 'kültür ve sanat': 'kultur', yol: 'kisa_yol' };
  const areaOf = (text: string) => known[text.trim().toLocaleLowerCase('tr')];

  it('takes the longest known name, so a name holding a comma is one area', () => {
    expect(splitAreas('Yol, kaldırım ve altyapı, Kültür ve sanat', areaOf)).toEqual({ areas: ['yol', 'kultur'], unknown: [] });
    expect(splitAreas('Kültür ve sanat; Yol, kaldırım ve altyapı', areaOf)).toEqual({ areas: ['kultur', 'yol'], unknown: [] });
  });

  it('still reads a shorter name when the longer one is not there', () => {
    expect(splitAreas('Yol; Kültür ve sanat', areaOf)).toEqual({ areas: ['kisa_yol', 'kultur'], unknown: [] });
  });

  it('reports unknown pieces as written and skips empty ones', () => {
    expect(splitAreas(' ; Uzay,, Kültür ve sanat;', areaOf)).toEqual({ areas: ['kultur'], unknown: ['Uzay'] });
    expect(splitAreas('', areaOf)).toEqual({ areas: [], unknown: [] });
  });
});

describe('decodeText', () => {
  const text = 'Ad;Önem\r\n"Şişli, Ilgaz";İyi ğüç\r\n';

  it('reads UTF-8 with and without a byte-order mark', () => {
    expect(decodeText(Buffer.from(text, 'utf8'))).toBe(text);
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]))).toBe(text);
  });

  it('reads what is not UTF-8 as Windows-1254, the code page of Turkish Excel', () => {
    expect(decodeText(windows1254(text))).toBe(text);
  });
});
