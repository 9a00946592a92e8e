// i18next with Turkish as the source locale. Translators are bound once per language at start-up:
// cloning an instance per request costs a fifth of a simple page's CPU.
import fs from 'node:fs';
import path from 'node:path';
import i18next, { type TFunction } from 'i18next';
import { projectRoot } from '../paths';
import { formatNumber, formatPercent } from './numbers';

export const LANGUAGES = ['tr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'tr';

export const LOCALES_DIR = path.join(projectRoot, 'server', 'platform', 'i18n', 'locales');

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export type Translate = TFunction;

export interface I18n {
  translators: Record<Language, Translate>;
}

/** Reads locales/<lang>/<namespace>.json for every language. */
export function readLocales(dir = LOCALES_DIR): Record<string, Record<string, object>> {
  const resources: Record<string, Record<string, object>> = {};
  for (const language of fs.readdirSync(dir)) {
    resources[language] = {};
    for (const file of fs.readdirSync(path.join(dir, language)).filter((f) => f.endsWith('.json'))) {
      resources[language][path.basename(file, '.json')] = JSON.parse(fs.readFileSync(path.join(dir, language, file), 'utf8'));
    }
  }
  return resources;
}

export function createI18n(): I18n {
  const resources = readLocales();
  const instance = i18next.createInstance();
  void instance.init({
    resources,
    lng: DEFAULT_LANGUAGE,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    ns: Object.keys(resources[DEFAULT_LANGUAGE] ?? {}),
    defaultNS: 'common',
    initAsync: false,
    // Templates escape on output (<%= %>); escaping here too would double-escape.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  // {{count, number}} and {{rate, percent}} in a text write the figure in the text's language.
  // A value that is not a number (already written, or a word) is printed as given, never as "NaN".
  const formatter = instance.services.formatter;
  if (!formatter) throw new Error('i18next has no formatter');
  formatter.add('number', (value: unknown, lng: string | undefined) => (typeof value === 'number' ? formatNumber(lng ?? DEFAULT_LANGUAGE, value) : String(value)));
  formatter.add('percent', (value: unknown, lng: string | undefined) => (typeof value === 'number' ? formatPercent(lng ?? DEFAULT_LANGUAGE, value) : String(value)));
  const translators = Object.fromEntries(LANGUAGES.map((language) => [language, remembering(instance.getFixedT(language))])) as Record<
    Language,
    Translate
  >;
  return { translators };
}

/** Keys remembered per language; far more than the locale files hold, a bound in case a key is built from data. */
const REMEMBERED_KEYS = 10_000;

/**
 * A translator that remembers the texts of keys asked without options: the locales never change
 * while the server runs, and i18next's lookup (namespace split, fallbacks, plural and context
 * checks) is a tenth of a survey page's CPU when done forty times a page.
 */
function remembering(t: TFunction): Translate {
  const texts = new Map<string, string>();
  const translate = (key: unknown, ...rest: unknown[]) => {
    if (rest.length > 0 || typeof key !== 'string') return (t as unknown as (...args: unknown[]) => unknown)(key, ...rest);
    let text = texts.get(key);
    if (text === undefined) {
      const found: unknown = t(key);
      if (typeof found !== 'string') return found;
      text = found;
      if (texts.size < REMEMBERED_KEYS) texts.set(key, text);
    }
    return text;
  };
  return translate as unknown as Translate;
}
