// Chooses the page language: ?lang= (remembered in a cookie), then the cookie, then Accept-Language.
import type { RequestHandler } from 'express';
import { DEFAULT_LANGUAGE, isLanguage, LANGUAGES, type I18n, type Language } from '../i18n/i18n';
import { cookieOptions } from './cookies';

const LANGUAGE_COOKIE = 'pd_lang';
const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

export function languageMiddleware(i18n: I18n, secure: boolean): RequestHandler {
  return (req, res, next) => {
    const requested = req.query.lang;
    let language: Language;
    if (isLanguage(requested)) {
      language = requested;
      if (req.cookies?.[LANGUAGE_COOKIE] !== requested) {
        res.cookie(LANGUAGE_COOKIE, requested, cookieOptions(secure, { maxAge: YEAR_MS }));
      }
    } else if (isLanguage(req.cookies?.[LANGUAGE_COOKIE])) {
      language = req.cookies[LANGUAGE_COOKIE];
    } else {
      const accepted = req.acceptsLanguages(...LANGUAGES);
      language = isLanguage(accepted) ? accepted : DEFAULT_LANGUAGE;
    }
    res.locals.lang = language;
    res.locals.t = i18n.translators[language];
    res.vary('Accept-Language');
    next();
  };
}
