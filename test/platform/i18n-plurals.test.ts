// English needs a singular ("1 user"), Turkish does not ("1 kullanıcı"): every English text that
// prints {{count}} has its _one and _other forms, and every counted key reads right in both languages.
import { createI18n, LANGUAGES, readLocales } from '../../server/platform/i18n/i18n';

const PLURAL = /_(zero|one|two|few|many|other)$/;
const resources = readLocales();

/** namespace:key.path → text, for one language. */
function texts(language: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (value: unknown, prefix: string) => {
    if (value && typeof value === 'object') for (const [key, child] of Object.entries(value)) walk(child, prefix.endsWith(':') ? `${prefix}${key}` : `${prefix}.${key}`);
    else out.set(prefix, String(value));
  };
  for (const [namespace, tree] of Object.entries(resources[language] ?? {})) walk(tree, `${namespace}:`);
  return out;
}

const english = texts('en');
/** The other placeholders of the counted texts, filled with something. */
const PARAMS = { what: 'X', number: 'F1', skipped: 0, label: 'L', file: 'f', n: 1, shown: 1, date: 'd', email: 'e', since: 's', last: 'l', names: 'N', minutes: 5, survey: 'S', channels: 'C', channel: 'K', participants: 9, people: 9, kinds: 'k', terms: 't', max: 9, name: 'n', who: 'w', reasons: 'r', usage: 'u', slug: 's', answered: 1, rate: 'r', coded: 1, reviewed: 1, pending: 0, share: 's' };
/** The keys asked for with a count: the base of every English text that prints {{count}}. */
const counted = [...new Set([...english].filter(([, text]) => /{{\s*count\b/.test(text)).map(([key]) => key.replace(PLURAL, '')))].sort();

describe('English plurals', () => {
  it('give every text that prints {{count}} a singular and a plural form', () => {
    expect(counted.length).toBeGreaterThan(60);
    const lacking = [...english]
      .filter(([, text]) => /{{\s*count\b/.test(text))
      .filter(([key]) => {
        const base = key.replace(PLURAL, '');
        return !(PLURAL.test(key) && english.has(`${base}_one`) && english.has(`${base}_other`));
      })
      .map(([key]) => key);
    expect(lacking).toEqual([]);
  });

  it('write the singular in English and keep one form in Turkish, whatever the count', () => {
    const { translators } = createI18n();
    const turkish = texts('tr');
    const problems: string[] = [];
    for (const key of counted) {
      for (const count of [1, 2, 7]) {
        for (const language of LANGUAGES) {
          const text = String(translators[language](key, { ...PARAMS, count }));
          // The count is printed (a singular may say "the letter" instead of "1 letter") and no placeholder is left over.
          if ((count !== 1 && !text.includes(String(count))) || text.includes('{{')) problems.push(`${language} ${key} ${count}: ${text}`);
        }
      }
      // The English singular and plural are the language's own texts, not the Turkish fallback.
      for (const [count, form] of [[1, 'one'], [2, 'other']] as const) {
        if (translators.en(key, { ...PARAMS, count }) !== translators.en(`${key}_${form}`, { ...PARAMS, count })) problems.push(`en ${key} ${count}: not the _${form} text`);
      }
      // Turkish has one text for the counted key (its plural rule has "one", which falls back to the key).
      if (!turkish.has(key) && !turkish.has(`${key}_other`)) problems.push(`tr ${key}: missing`);
    }
    expect(problems).toEqual([]);
  });

  it('reads "1 user" and "2 users", "1 kullanıcı" and "2 kullanıcı"', () => {
    const { translators } = createI18n();
    expect(translators.en('admin:users.caption', { count: 1 })).toBe('1 user');
    expect(translators.en('admin:users.caption', { count: 2 })).toBe('2 users');
    expect(translators.tr('admin:users.caption', { count: 1 })).toBe('1 kullanıcı');
    expect(translators.tr('admin:users.caption', { count: 2 })).toBe('2 kullanıcı');
    expect(translators.en('opinions:admin.waiting_count', { count: 1 })).toBe('1 e-mail waiting');
    expect(translators.en('opinions:admin.waiting_count', { count: 3 })).toBe('3 e-mails waiting');
  });
});
