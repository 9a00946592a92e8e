// Helpers every view gets: translation, localized definition texts, asset URLs, dates.
import type { RequestHandler } from 'express';
import { LANGUAGES, type Language } from '../i18n/i18n';
import { localize, localizedHtml, translateHtml } from '../i18n/localize';
import { formatNumber, formatPercent } from '../i18n/numbers';
import { figureFormats, type FigureKind } from '../number-format';
import type { LocalizedText } from '../schema';
import { nameList } from '../text';
import type { Assets } from './assets';
import { metaDescription } from './meta-description';

/** The BCP 47 locale of each language, for dates and numbers. */
export const LOCALES: Record<Language, string> = { tr: 'tr-TR', en: 'en-GB' };

/** Date and date-time formats per language in the site's time zone (pages and e-mails). */
export function dateFormatters(timeZone: string) {
  return Object.fromEntries(
    LANGUAGES.map((language) => [
      language,
      {
        date: new Intl.DateTimeFormat(LOCALES[language], {
          timeZone,
          day: language === 'tr' ? '2-digit' : 'numeric',
          month: language === 'tr' ? '2-digit' : 'short',
          year: 'numeric',
        }),
        time: new Intl.DateTimeFormat(LOCALES[language], { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
        weekday: new Intl.DateTimeFormat(LOCALES[language], { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }),
        dateTime: new Intl.DateTimeFormat(LOCALES[language], {
          timeZone,
          day: language === 'tr' ? '2-digit' : 'numeric',
          month: language === 'tr' ? '2-digit' : 'short',
          year: 'numeric',
          hour: '2-digit',
          minute: '2-digit',
        }),
      },
    ]),
  ) as Record<Language, Record<'date' | 'time' | 'weekday' | 'dateTime', Intl.DateTimeFormat>>;
}

export function viewLocals(assets: Assets, timeZone: string): RequestHandler {
  const format = dateFormatters(timeZone);
  // The same digits per kind of figure as the report and the XLSX files (number-format.ts).
  const number = Object.fromEntries(LANGUAGES.map((language) => [language, figureFormats(LOCALES[language])])) as Record<Language, Record<FigureKind, Intl.NumberFormat>>;
  const assetUrl = (file: string) => assets.url(file);
  return (_req, res, next) => {
    const lang: Language = res.locals.lang;
    res.locals.asset = assetUrl;
    res.locals.L = (text: LocalizedText) => localizedHtml(text, lang);
    res.locals.localize = (text: LocalizedText) => localize(text, lang);
    res.locals.tHtml = (key: string, html: Record<string, string>, options?: Record<string, unknown>) => translateHtml(res.locals.t, key, html, options);
    res.locals.formatDate = (iso: string) => format[lang].date.format(new Date(iso));
    res.locals.formatDateTime = (iso: string) => format[lang].dateTime.format(new Date(iso));
    res.locals.formatTime = (iso: string) => format[lang].time.format(new Date(iso));
    res.locals.formatDay = (iso: string) => format[lang].weekday.format(new Date(iso));
    // Relative to the current page: the path is never echoed, so a crafted URL cannot point off-site.
    res.locals.languageLinks = LANGUAGES.filter((other) => other !== lang).map((other) => ({
      lang: other,
      href: `?lang=${other}`,
    }));
    res.locals.scripts = [];
    res.locals.nameList = nameList;
    // A count or a percentage (in points) in running text, as every screen and the report write it.
    res.locals.formatNumber = (value: number) => formatNumber(lang, value);
    res.locals.formatPercent = (points: number) => formatPercent(lang, points);
    // A stored language code ("tr") as the reader's word for it ("Türkçe", "Turkish").
    res.locals.languageName = (code: string) => res.locals.t(`common:languages.${code}`, { defaultValue: code });
    res.locals.metaDescription = metaDescription;
    res.locals.formatCell = (value: unknown, type: 'label' | 'count' | 'percent' | 'decimal') => {
      if (value === null || value === undefined) return '–';
      if (typeof value !== 'number') return String(value);
      if (type === 'percent') return number[lang].percent.format(value);
      if (type === 'decimal') return number[lang].decimal.format(value);
      return number[lang].count.format(value);
    };
    next();
  };
}
