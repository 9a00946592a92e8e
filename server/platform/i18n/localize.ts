// Picks the text of a definition file (surveys, municipality) in the person's language, falling
// back to Turkish and saying so, so the page can mark the passage with lang="tr".
import type { LocalizedText } from '../schema';
import { DEFAULT_LANGUAGE } from './i18n';

export interface Localized {
  text: string;
  /** Set when the text is not in the requested language. */
  lang?: string;
}

export function localize(text: LocalizedText, language: string): Localized {
  const own = text[language];
  if (own !== undefined) return { text: own };
  return language === DEFAULT_LANGUAGE ? { text: text.tr } : { text: text.tr, lang: DEFAULT_LANGUAGE };
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);
}

/** Escaped HTML of a localized text, wrapped in a lang span when it fell back to another language. */
export function localizedHtml(text: LocalizedText, language: string): string {
  const { text: value, lang } = localize(text, language);
  return lang ? `<span lang="${lang}">${escapeHtml(value)}</span>` : escapeHtml(value);
}

/**
 * A translated sentence as escaped HTML with some values already HTML (a title marked lang="tr"):
 * the sentence is translated around placeholders, escaped, then the HTML values go in.
 */
export function translateHtml(t: (key: string, options?: Record<string, unknown>) => string, key: string, html: Record<string, string>, options: Record<string, unknown> = {}): string {
  const names = Object.keys(html);
  const marks = Object.fromEntries(names.map((name, i) => [name, `\u0001${i}\u0001`]));
  return escapeHtml(t(key, { ...options, ...marks })).replace(/\u0001(\d+)\u0001/g, (_, i: string) => html[names[Number(i)]!]!);
}
