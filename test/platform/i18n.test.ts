import fs from 'node:fs';
import path from 'node:path';
import { createI18n, LANGUAGES, readLocales } from '../../server/platform/i18n/i18n';
import { projectRoot } from '../../server/platform/paths';
import { ROLES } from '../../server/admin/account.table';
import { AUDIT_ACTIONS } from '../../server/platform/audit/audit.repository';
import { EXCLUSION_REASONS } from '../../server/surveys/response.table';
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
/** Keys with plural forms folded: "a_one" and "a_other" count as "a" (only where "a_other" exists). */
const baseKeys = (language: string) => {
  const keys = [...keysOf(language).keys()];
  const plural = new Set(keys.filter((key) => key.endsWith('_other')).map((key) => key.replace(PLURAL, '')));
  return new Set(keys.map((key) => (plural.has(key.replace(PLURAL, '')) ? key.replace(PLURAL, '') : key)));
};

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
    // A key ending in a dot is completed at run time (t('admin:roles.' + role)): the enumerations below cover those.
    for (const match of text.matchAll(/\bt\(\s*'([a-z_]+:[a-z0-9_.]*[a-z0-9_])'/g)) keys.add(match[1]!);
    // Keys handed to views as values (zod messages, flash messages): 'ns:path.key' literals.
    for (const match of text.matchAll(/'((?:admin|errors|surveys|site|common|validation):[a-z0-9_]+\.[a-z0-9_.]*[a-z0-9_])'/g)) {
      keys.add(match[1]!);
    }
    for (const match of text.matchAll(/'(errors:[a-z_]+)'/g)) {
      keys.add(`${match[1]}.title`);
      keys.add(`${match[1]}.text`);
    }
  }
  for (const code of VALIDATION_CODES) keys.add(`validation:${code}`);
  for (const role of ROLES) keys.add(`admin:roles.${role}`);
  for (const action of AUDIT_ACTIONS) keys.add(`admin:audit.actions.${action.replace('.', '_')}`);
  for (const reason of EXCLUSION_REASONS) keys.add(`admin:responses.reasons.${reason}`);
  for (const status of ['draft', 'scheduled', 'open', 'closed']) keys.add(`admin:status.${status}`);
  for (const channel of ['online', 'paper', 'face_to_face']) keys.add(`admin:channels.${channel}`);
  for (const audience of ['citizen', 'institution', 'internal', 'meeting']) keys.add(`admin:audiences.${audience}`);
  for (const status of ['complete', 'draft', 'excluded']) keys.add(`admin:responses.statuses.${status}`);
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
      const known = baseKeys(language);
      // An error page's key stands for its .title and .text.
      const missing = [...used].filter((key) => !known.has(key) && !(known.has(`${key}.title`) && known.has(`${key}.text`)));
      expect({ language, missing }).toEqual({ language, missing: [] });
    }
  });

  it('use the same interpolation variables in every language', () => {
    const variables = (text: string) => [...text.matchAll(/{{\s*(\w+)\s*(?:,[^}]*)?}}/g)].map((m) => m[0].replace(/\s+/g, '')).sort();
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

  it('give every text the same when asked again (remembered texts), with or without options', () => {
    const { translators } = createI18n();
    for (const language of LANGUAGES) {
      const t = translators[language];
      for (const key of keysOf(language).keys()) {
        const base = key.replace(PLURAL, '');
        const first = [t(base), t(base, { count: 1 }), t(base, { count: 5 })];
        expect([t(base), t(base, { count: 1 }), t(base, { count: 5 })]).toEqual(first);
      }
      // An option after a remembered plain lookup still counts: the plural and the other language.
      expect(t('surveys:estimated_minutes')).toBe(t('surveys:estimated_minutes'));
      expect(t('surveys:estimated_minutes', { count: 8 })).toBe(language === 'tr' ? 'yaklaşık 8 dakika' : 'about 8 minutes');
      expect(t('common:language_name')).not.toBe(t('common:language_name', { lng: language === 'tr' ? 'en' : 'tr' }));
      // An unknown key comes back as itself, as i18next gives it.
      expect(t('common:no_such_key')).toBe('no_such_key');
    }
  });
});
