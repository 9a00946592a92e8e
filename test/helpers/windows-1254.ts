// Text as Turkish Excel saves "CSV (virgülle ayrılmış)": Windows-1254 bytes. The table is written
// out here rather than taken from a decoder, so a test checks the app against the code page itself.
const TURKISH_BYTES: Record<string, number> = {
  Ç: 0xc7, ç: 0xe7, Ğ: 0xd0, ğ: 0xf0, İ: 0xdd, ı: 0xfd, Ö: 0xd6, ö: 0xf6, Ş: 0xde, ş: 0xfe, Ü: 0xdc, ü: 0xfc, 'â': 0xe2, '–': 0x96, '’': 0x92,
};

export function windows1254(text: string): Buffer {
  return Buffer.from(
    [...text].map((char) => {
      const code = char.codePointAt(0)!;
      if (code < 0x80) return code;
      const byte = TURKISH_BYTES[char];
      if (byte === undefined) throw new Error(`no Windows-1254 byte for ${char} in this table`);
      return byte;
    }),
  );
}
