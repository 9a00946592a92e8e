import { CODE_ALPHABET, CODE_LENGTH, formatCode, generateCode, generateCodes, normaliseCode } from '../../../server/surveys/access-codes/access-codes';

describe('access code generation', () => {
  it('uses an alphabet of 32 characters without 0, O, 1 or I', () => {
    expect(CODE_ALPHABET).toHaveLength(32);
    expect(new Set(CODE_ALPHABET).size).toBe(32);
    for (const ambiguous of ['0', 'O', '1', 'I']) expect(CODE_ALPHABET).not.toContain(ambiguous);
  });

  it('makes codes of ten characters from the alphabet, 50 bits each', () => {
    for (const code of generateCodes(2000)) {
      expect(code).toHaveLength(CODE_LENGTH);
      expect([...code].every((c) => CODE_ALPHABET.includes(c))).toBe(true);
    }
    expect(CODE_LENGTH * Math.log2(CODE_ALPHABET.length)).toBe(50);
  });

  it('maps each random byte onto the alphabet without bias (byte mod 32)', () => {
    const bytes = Buffer.from([0, 31, 32, 63, 255, 8, 40, 100, 200, 250]);
    expect(generateCode(() => bytes)).toBe('2Z2ZZAA6AU');
  });

  it('gives distinct codes in a batch, even when the random source repeats itself', () => {
    let calls = 0;
    const repeating = () => Buffer.alloc(CODE_LENGTH, calls++ < 3 ? 7 : calls);
    const codes = generateCodes(3, repeating);
    expect(new Set(codes).size).toBe(3);
  });

  it('spreads characters evenly over a large sample', () => {
    const counts = new Map<string, number>();
    for (const code of generateCodes(5000)) for (const c of code) counts.set(c, (counts.get(c) ?? 0) + 1);
    // 50,000 characters: about 1,562 each; a biased mapping would leave some far off.
    for (const c of CODE_ALPHABET) expect(Math.abs((counts.get(c) ?? 0) - 1562.5)).toBeLessThan(250);
  });
});

describe('normaliseCode', () => {
  it('accepts the printed form, lower case, spaces and other dashes', () => {
    for (const typed of ['K7Q4M-2MXAR', 'k7q4m-2mxar', ' K7Q4M 2MXAR ', 'k7q4m2mxar', 'K7Q4M–2MXAR', 'K7Q4M.2MXAR', 'K 7 Q 4 M - 2 M X A R']) {
      expect(normaliseCode(typed)).toBe('K7Q4M2MXAR');
    }
  });

  it('refuses what cannot be a code: wrong length, 0/O/1/I, other characters', () => {
    for (const typed of ['', 'K7Q4M-2MXA', 'K7Q4M-2MXARR', 'K7Q4M-2MXA0', 'O7Q4M-2MXAR', 'K7Q4M-2MXA1', 'I7Q4M-2MXAR', 'ı7Q4M-2MXAR', 'K7Q4M-2MXA#', 'K7Q4M-2MXAŞ']) {
      expect(normaliseCode(typed)).toBeUndefined();
    }
  });

  it('formats a code as two groups of five, which normalises back to itself', () => {
    const code = generateCode();
    expect(formatCode(code)).toMatch(/^[2-9A-Z]{5}-[2-9A-Z]{5}$/);
    expect(normaliseCode(formatCode(code))).toBe(code);
  });
});
