// Writes e-mail to the outbox: rendered from EJS views in the recipient's language (an HTML part
// and a plain-text part), inside the caller's transaction, so the mail exists exactly when the
// action that causes it does.
import path from 'node:path';
import ejs from 'ejs';
import type { Executor } from '../db/connection';
import { isLanguage, DEFAULT_LANGUAGE, type I18n } from '../i18n/i18n';
import { localize, localizedHtml, translateHtml } from '../i18n/localize';
import type { LocalizedText } from '../schema';
import { dateFormatters } from '../http/locals';
import { VIEWS_DIR } from '../http/views';
import { placeholder, seal, secretsKey, type MailSecrets } from './mail-secrets';
import * as outboxRepository from './outbox.repository';
import type { Attachment } from './outbox.repository';

export interface MailRequest {
  to: string;
  language: string;
  /** views/mail/<template>.html.ejs and .text.ejs */
  template: string;
  /** A translation key, interpolated with subjectParams. */
  subjectKey: string;
  subjectParams?: Record<string, string>;
  locals: Record<string, unknown>;
  /**
   * Locals only the recipient may see (a personal link): the stored bodies hold placeholders and
   * the values are sealed beside them until the message is sent (mail-secrets.ts).
   */
  secrets?: MailSecrets;
  kind: string;
  ref?: string;
  attachments?: Attachment[];
}

export interface Mailer {
  queue(db: Executor, request: MailRequest, now: Date): Promise<number>;
  /** Renders without queueing (previews, tests). */
  render(request: Pick<MailRequest, 'language' | 'template' | 'subjectKey' | 'subjectParams' | 'locals' | 'secrets'>): Promise<{ subject: string; html: string; text: string }>;
}

export function createMailer(options: {
  i18n: I18n;
  /** Shared locals every mail gets, e.g. the municipality and the site's address. */
  locals: Record<string, unknown>;
  /** Called after a message was queued: the worker sends it once the transaction commits. */
  notify?: () => void;
  /** Dates in mail are written in this time zone, e.g. Europe/Istanbul. */
  timeZone: string;
  /** The site's secret, from which the key sealing mail secrets is derived. */
  secret: string;
  cache: boolean;
}): Mailer {
  const key = secretsKey(options.secret);
  const format = dateFormatters(options.timeZone);
  const renderFile = (file: string, data: Record<string, unknown>) =>
    ejs.renderFile(path.join(VIEWS_DIR, 'mail', file), data, { cache: options.cache, views: [VIEWS_DIR], rmWhitespace: false });

  const mailer: Mailer = {
    async render(request) {
      const language = isLanguage(request.language) ? request.language : DEFAULT_LANGUAGE;
      const t = options.i18n.translators[language];
      const data = {
        ...options.locals,
        ...request.locals,
        ...Object.fromEntries(Object.keys(request.secrets ?? {}).map((name) => [name, placeholder(name)])),
        t,
        lang: language,
        L: (text: LocalizedText) => localizedHtml(text, language),
        tHtml: (key: string, html: Record<string, string>, params?: Record<string, unknown>) => translateHtml(t, key, html, params),
        localize: (text: LocalizedText) => localize(text, language),
        formatDate: (iso: string) => format[language].date.format(new Date(iso)),
        formatDateTime: (iso: string) => format[language].dateTime.format(new Date(iso)),
        formatTime: (iso: string) => format[language].time.format(new Date(iso)),
        formatDay: (iso: string) => format[language].weekday.format(new Date(iso)),
      };
      // One line, whatever the parameters hold: a subject is a header.
      const subject = t(request.subjectKey, request.subjectParams ?? {}).replace(/[\r\n]+/g, ' ');
      const body = await renderFile(`${request.template}.html.ejs`, data);
      const html = await renderFile('layout.html.ejs', { ...data, body, subject });
      const text = (await renderFile(`${request.template}.text.ejs`, data)).replace(/\n{3,}/g, '\n\n').trim() + '\n';
      return { subject, html, text };
    },
    async queue(db, request, now) {
      const { subject, html, text } = await mailer.render(request);
      const id = await outboxRepository.insert(
        db,
        {
          to: request.to,
          subject,
          html,
          text,
          language: request.language,
          kind: request.kind,
          ref: request.ref,
          attachments: request.attachments,
          secrets: request.secrets && Object.keys(request.secrets).length > 0 ? seal(key, request.secrets) : null,
        },
        now,
      );
      options.notify?.();
      return id;
    },
  };
  return mailer;
}
