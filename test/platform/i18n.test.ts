import fs from 'node:fs';
import path from 'node:path';
import { createI18n, LANGUAGES, readLocales } from '../../server/platform/i18n/i18n';
import { projectRoot } from '../../server/platform/paths';
import { VALIDATION_CODES } from '../../server/surveys/survey-answers';

const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(value: unknown, prefix: string, out: Map<string, string>): Map<string, string> {
  if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix ? `${prefix}.${key}` : key, out);
  } else {
    out.set(prefix, String(value));
  }
  return out;
}

const resources = readLocales();
const keysOf = (language: string) => {
  const flat = new Map<string, string>();
  for (const [namespace, tree] of Object.entries(resources[language] ?? {})) flatten(tree, `${namespace}:`, flat);
  return new Map([...flat].map(([key, value]) => [key.replace(':.', ':'), value]));
};
const baseKeys = (language: string) => new Set([...keysOf(language).keys()].map((key) => key.replace(PLURAL, '')));

function sourceFiles(dir: string, ext: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full, ext);
    return entry.name.endsWith(ext) ? [full] : [];
  });
}

/** Every literal key passed to t() in views and server code, plus the keys built from codes. */
function usedKeys(): Set<string> {
  const files = [...sourceFiles(path.join(projectRoot, 'views'), '.ejs'), ...sourceFiles(path.join(projectRoot, 'server'), '.ts')];
  const keys = new Set<string>();
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    for (const match of text.matchAll(/\bt\(\s*'([a-z_]+:[a-z0-9_.]+)'/g)) keys.add(match[1]!);
    for (const match of text.matchAll(/'(errors:[a-z_]+)'/g)) {
      keys.add(`${match[1]}.title`);
      keys.add(`${match[1]}.text`);
    }
  }
  for (const code of VALIDATION_CODES) keys.add(`validation:${code}`);
  return keys;
}

describe('locales', () => {
  it('exist for every supported language', () => {
    expect(Object.keys(resources).sort()).toEqual([...LANGUAGES].sort());
  });

  it('have the same keys in every language (plural forms aside)', () => {
    const turkish = [...baseKeys('tr')].sort();
    for (const language of LANGUAGES) expect([...baseKeys(language)].sort()).toEqual(turkish);
  });

  it('have no empty texts', () => {
    for (const language of LANGUAGES) {
      const empty = [...keysOf(language)].filter(([, value]) => value.trim() === '').map(([key]) => key);
      expect(empty).toEqual([]);
    }
  });

  it('define every key the code and the views use, in every language', () => {
    const used = usedKeys();
    expect(used.size).toBeGreaterThan(50);
    for (const language of LANGUAGES) {
      const missing = [...used].filter((key) => !baseKeys(language).has(key));
      expect({ language, missing }).toEqual({ language, missing: [] });
    }
  });

  it('use the same interpolation variables in every language', () => {
    const variables = (text: string) => [...text.matchAll(/{{\s*(\w+)\s*}}/g)].map((m) => m[1]).sort();
    const turkish = keysOf('tr');
    const mismatches: string[] = [];
    for (const language of LANGUAGES) {
      for (const [key, value] of keysOf(language)) {
        const source = turkish.get(key) ?? turkish.get(key.replace(PLURAL, ''));
        if (source !== undefined && variables(source).join() !== variables(value).join()) mismatches.push(`${language} ${key}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('translate plurals and interpolations through i18next', () => {
    const { translators } = createI18n();
    expect(translators.tr('surveys:estimated_minutes', { count: 1 })).toBe('yaklaşık 1 dakika');
    expect(translators.tr('surveys:estimated_minutes', { count: 8 })).toBe('yaklaşık 8 dakika');
    expect(translators.en('surveys:estimated_minutes', { count: 1 })).toBe('about 1 minute');
    expect(translators.en('surveys:estimated_minutes', { count: 8 })).toBe('about 8 minutes');
    expect(translators.en('surveys:progress', { current: 2, total: 5 })).toBe('Section 2 of 5');
    expect(translators.tr('surveys:progress', { current: 2, total: 5 })).toBe('Bölüm 2 / 5');
  });
});
