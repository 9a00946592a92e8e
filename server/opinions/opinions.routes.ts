// What an institution sees: the page behind its personal link (/gorus/<token>), the opinion form
// itself (the survey's shared section flow, its draft tied to the invitation rather than to a
// browser), the receipt, edits until the deadline and the official letter; and the public page
// where an institution that was not invited asks to take part (/kurum-gorusu).
import { Router, type Request, type RequestHandler, type Response } from 'express';
import multer from 'multer';
import { z } from 'zod';
import type { Db } from '../platform/db/connection';
import { AppError } from '../platform/http/app-error';
import type { Csrf } from '../platform/http/csrf';
import { parseForm, text } from '../platform/http/validate';
import type { I18n } from '../platform/i18n/i18n';
import { isLanguage } from '../platform/i18n/i18n';
import { localize } from '../platform/i18n/localize';
import * as outboxRepository from '../platform/mail/outbox.repository';
import { dateFormatters } from '../platform/http/locals';
import { STAKEHOLDER_GROUPS } from '../stakeholders';
import {
  describeResponse,
  responseRepository,
  resumeSection,
  storedSectionHandlers,
  surveyStatus,
  type AnswerRow,
  type Survey,
  type SurveyCatalog,
} from '../surveys';
import { findBrowserResponse } from '../surveys/response.service';
import { hashToken } from '../platform/tokens';
import * as invitationRepository from './invitation.repository';
import type { InvitationView } from './invitation.repository';
import * as invitationService from './invitation.service';
import { draftTokenOf, invitationLink, knownAnswers, receiptReference, type MailContext } from './invitation.service';
import { receiptMailState } from './invitation-tracking';
import { MAX_LETTER_BYTES, MAX_LETTERS_PER_INVITATION, removeLetter, replaceLetter, storeLetter } from './opinion-letter';

export interface OpinionRoutesDeps {
  db: Db;
  catalog: SurveyCatalog;
  csrf: Csrf;
  /** Derives the drafts' tokens from invitations. */
  secret: string;
  mail: MailContext;
  i18n: I18n;
  timeZone: string;
  now: () => Date;
  /** Drops posts whose honeypot is filled; run again here because multer reads the letter's body in its route. */
  honeypot: RequestHandler;
}

/** The letter upload and replacement read their CSRF token from the URL: multer reads the body after the check. */
export const OPINION_UPLOAD_PATHS = [/^\/gorus\/[A-Za-z0-9_-]{22}\/yazi$/, /^\/gorus\/[A-Za-z0-9_-]{22}\/yazi\/\d{1,9}\/degistir$/] as const;

/** The letter's forms and the edit button post to actions; their forms are on the link's own page. */
export function opinionFormPage(path: string): string | undefined {
  return /^(\/gorus\/[A-Za-z0-9_-]{22})\/(?:yazi(?:\/\d{1,9}\/(?:degistir|sil))?|duzenle)$/.exec(path)?.[1];
}

/** What the link's page confirms after a letter changed: ?yazi=yuklendi-12, degisti-12, kaldirildi. */
const LetterNews = z.union([
  z.string().regex(/^(yuklendi|degisti)-\d{1,9}$/).transform((value) => ({ kind: value.startsWith('y') ? ('uploaded' as const) : ('replaced' as const), id: Number(value.split('-')[1]) })),
  z.literal('kaldirildi').transform(() => ({ kind: 'removed' as const, id: 0 })),
]);

/** Groups an institution can name for itself; "Vatandaş grubu" is the register's, not an institution's. */
const SELF_GROUPS = STAKEHOLDER_GROUPS.filter((group) => group !== 'vatandas_grubu');

const SelfRegistrationForm = z.object({
  survey: z.string().max(100).optional(),
  name: text(z, 200).min(2, { error: 'errors:form.required' }),
  group: z.enum(SELF_GROUPS as [string, ...string[]], { error: 'opinions:register.group_required' }),
  email: text(z, 254).pipe(z.email({ error: 'opinions:register.email_invalid' })),
  contact_person: text(z, 200).default(''),
  language: z.enum(['tr', 'en'], { error: 'errors:form.invalid' }).default('tr'),
  // A declaration, not a consent: what the privacy notice says is read before the form, apart (KVKK).
  authority: z.literal('1', { error: 'opinions:register.authority_required' }),
});

export function opinionsRouter(deps: OpinionRoutesDeps): Router {
  const router = Router();
  const { db, catalog, csrf } = deps;
  const format = dateFormatters(deps.timeZone);
  // The invitation each request was admitted with (set by `admitted`, read by the section flow).
  const invitations = new WeakMap<Request, InvitationView>();
  // File names arrive in UTF-8 (Turkish letters); multer would read them as Latin-1.
  const upload = multer({ storage: multer.memoryStorage(), defParamCharset: 'utf8', limits: { fileSize: MAX_LETTER_BYTES, files: 1, fields: 2, parts: 3 } });

  const tokenOf = (req: Request) => String(req.params.token);
  const base = (req: Request) => `/gorus/${tokenOf(req)}`;

  // Pages behind a link carry its token: never cached, never sent on as a referrer.
  router.use(['/gorus', '/kurum-gorusu'], (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    res.set('Referrer-Policy', 'no-referrer');
    next();
  });

  const surveyOf = (invitation: InvitationView): Survey => {
    const survey = catalog.find(invitation.survey_slug);
    // A survey file removed after invitations went out: the links say so rather than fail.
    if (!survey) throw new AppError(410, 'opinions:errors.survey_gone');
    return survey;
  };

  const renderLinkState = (res: Response, state: Exclude<invitationService.LinkState, { kind: 'open' }> | { kind: 'not_open'; invitation: InvitationView }) => {
    const invitation = state.kind === 'unknown' ? undefined : state.invitation;
    const survey = invitation ? catalog.find(invitation.survey_slug) : undefined;
    const closesAt = survey ? catalog.schedule(survey.slug).closesAt : undefined;
    res.status(state.kind === 'unknown' ? 404 : state.kind === 'not_open' ? 403 : 410).render('opinions/link-state', {
      pageTitle: res.locals.t(`opinions:link.${state.kind}_title`),
      state: state.kind,
      invitation,
      survey,
      // The invitation's deadline, or the form's closing if a planner closed it earlier.
      closedAt: invitation && closesAt && Date.parse(closesAt) < Date.parse(invitation.deadline_at) ? closesAt : invitation?.deadline_at,
      opensAt: survey ? catalog.schedule(survey.slug).opensAt : undefined,
      reference: invitation?.response_id && invitation.submitted_at ? receiptReference(invitation.response_id, invitation.submitted_at) : undefined,
    });
  };

  /** Lets the request through only while the link is open; otherwise says why not. */
  const admitted: RequestHandler = async (req, res, next) => {
    const state = await invitationService.followLink(db, tokenOf(req), deps.now());
    if (state.kind !== 'open') return renderLinkState(res, state);
    const survey = surveyOf(state.invitation);
    const status = surveyStatus(catalog.schedule(survey.slug), deps.now());
    if (status === 'closed') return renderLinkState(res, { kind: 'closed', invitation: state.invitation });
    // Not yet open, or an upload not yet published: its definition may still change.
    if (status !== 'open') return renderLinkState(res, { kind: 'not_open', invitation: state.invitation });
    invitations.set(req, state.invitation);
    next();
  };

  const invitationOf = (req: Request): InvitationView => {
    const invitation = invitations.get(req);
    if (!invitation) throw new Error('Route without the invitation check');
    return invitation;
  };

  const draftToken = (req: Request) => draftTokenOf(deps.secret, invitationOf(req));

  /** The answers as the institution reads them, in the given language. */
  const answerLines = (survey: Survey, rows: AnswerRow[], language: string) => {
    const lang = isLanguage(language) ? language : 'tr';
    const t = deps.i18n.translators[lang];
    return describeResponse(survey, rows, (value) => localize(value, lang).text, {
      other: t('surveys:other_option'),
      notApplicable: t('admin:responses.not_applicable'),
      formatDate: (isoDate) => format[lang].date.format(new Date(`${isoDate}T12:00:00Z`)),
    });
  };

  const sections = storedSectionHandlers(
    deps,
    {
      base: (req) => base(req),
      admit: () => true,
      readToken: draftToken,
      writeToken: () => undefined,
      newToken: draftToken,
      fixedFields: (req, survey) => knownAnswers(survey, invitationOf(req).stakeholderGroup),
      afterSave: (req) => (trx) => invitationService.recordDraftSaved(trx, invitationOf(req).id, deps.now()),
      afterComplete: (req, _res, survey) => async (trx, responseId) => {
        const invitation = invitationOf(req);
        await invitationService.recordSubmission(trx, deps.mail, {
          invitation,
          survey,
          responseId,
          link: invitationLink(deps.mail.baseUrl, tokenOf(req), invitation.language),
          lines: answerLines(survey, await responseRepository.answersOf(trx, responseId), invitation.language),
          now: deps.now(),
        });
      },
      channel: () => 'online',
      enteredBy: () => null,
      finish: (req, res) => res.redirect(303, `${base(req)}/alindi`),
      banner: (req, res) => {
        const invitation = invitationOf(req);
        return res.locals.t('opinions:form.banner', { name: invitation.stakeholderName, group: res.locals.t(`stakeholders:groups.${invitation.stakeholderGroup}`) });
      },
      // The same link may be open in several windows, or with several colleagues.
      version: {
        current: async (executor, req, survey) =>
          invitationService.formVersion(executor, deps.secret, survey, await invitationService.stillOpen(executor, invitationOf(req).id, deps.now())),
        notice: (req, res, _survey, submitted) => ({
          text: res.locals.t(submitted ? 'opinions:form.stale_submitted' : 'opinions:form.stale_changed'),
          ...(submitted ? { link: { href: base(req), text: res.locals.t('opinions:form.stale_back') } } : {}),
        }),
      },
    },
    (req) => surveyOf(invitationOf(req)),
  );

  const renderStatus = async (req: Request, res: Response, status = 200, problem?: string) => {
    const invitation = invitationOf(req);
    const survey = surveyOf(invitation);
    const draft = await findBrowserResponse(db, survey, hashToken(draftToken(req)), deps.now());
    const letters = await invitationRepository.lettersOf(db, [invitation.id]);
    const pending = letters.filter((l) => l.response_id === null);
    const news = status === 200 ? LetterNews.safeParse(req.query.yazi) : undefined;
    const newsLetter = news?.success ? pending.find((l) => l.id === news.data.id) : undefined;
    res.status(status).render('opinions/status', {
      pageTitle: res.locals.localize(survey.title).text,
      description: res.locals.localize(survey.intro).text,
      survey,
      invitation,
      base: base(req),
      // Submitted, and not in the middle of changing it.
      submitted: invitation.response_id !== null && draft.kind !== 'draft',
      editing: invitation.response_id !== null && draft.kind === 'draft',
      started: draft.kind === 'draft',
      // "Continue" opens the first section still needing answers, not section 1.
      resumeAt: draft.kind === 'draft' ? resumeSection(survey, draft.fields, knownAnswers(survey, invitation.stakeholderGroup)) + 1 : 1,
      reference: invitation.response_id && invitation.submitted_at ? receiptReference(invitation.response_id, invitation.submitted_at) : undefined,
      // Not yet submitted (or being changed): these the institution may still replace or remove.
      pending,
      // Sent with the answer that counts now, and with earlier versions: on record, not changeable.
      sent: letters.filter((l) => l.response_id !== null && l.response_id === invitation.response_id),
      earlier: letters.filter((l) => l.response_id !== null && l.response_id !== invitation.response_id),
      lettersChangeable: !(invitation.response_id !== null && draft.kind !== 'draft'),
      maxLetters: MAX_LETTERS_PER_INVITATION,
      letterNews: news?.success && (news.data.kind === 'removed' || newsLetter) ? { kind: news.data.kind, letter: newsLetter } : undefined,
      maxLetterMb: MAX_LETTER_BYTES / 1024 / 1024,
      uploadToken: csrf.token(req, res),
      problem,
      // A refused replacement points at its own file field, not the one that adds a letter.
      problemField: problem && /\/degistir$/.test(req.path) && pending.some((l) => l.id === Number(req.params.letter)) ? `replace-${Number(req.params.letter)}` : 'letter-file',
    });
  };

  router.get('/gorus/:token', admitted, async (req, res) => {
    await renderStatus(req, res);
  });

  router.get('/gorus/:token/alindi', admitted, async (req, res) => {
    const invitation = invitationOf(req);
    const survey = surveyOf(invitation);
    if (invitation.response_id === null || invitation.submitted_at === null) return res.redirect(303, base(req));
    const lines = answerLines(survey, await responseRepository.answersOf(db, invitation.response_id), res.locals.lang);
    res.render('opinions/receipt', {
      pageTitle: res.locals.t('opinions:receipt.title'),
      survey,
      invitation,
      base: base(req),
      reference: receiptReference(invitation.response_id, invitation.submitted_at),
      lines,
      letters: invitationService.receiptLetters(await invitationRepository.lettersOf(db, [invitation.id]), invitation.response_id),
      // The receipt for the answer that counts now: the latest one queued.
      mail: receiptMailState(await outboxRepository.latestAbout(db, 'receipt', `invitation:${invitation.id}`)),
    });
  });

  router.post('/gorus/:token/duzenle', admitted, async (req, res) => {
    const invitation = invitationOf(req);
    const outcome = await invitationService.startEdit(db, deps.secret, surveyOf(invitation), invitation.id, deps.now());
    if (outcome.kind === 'closed') throw new AppError(410, 'opinions:errors.closed');
    res.redirect(303, outcome.kind === 'editing' ? `${base(req)}/1` : base(req));
  });

  const store = { secret: deps.secret };

  /** Reads the one file of a multipart post; a refused file re-renders the link's page with why. */
  const readLetter: RequestHandler = (req, res, next) => {
    upload.single('letter')(req, res, (error?: unknown) => {
      const code = (error as { code?: string } | undefined)?.code;
      if (code === 'LIMIT_FILE_SIZE') return void renderStatus(req, res, 413, 'opinions:letter.too_large').catch(next);
      if (error) return void renderStatus(req, res, 400, 'opinions:letter.unreadable').catch(next);
      next();
    });
  };

  /** The letter a replace or remove names: its id, or a 404 the institution can read. */
  const letterIdOf = (req: Request): number => {
    const id = z.coerce.number().int().positive().max(999_999_999).safeParse(req.params.letter);
    if (!id.success) throw new AppError(404, 'errors:not_found');
    return id.data;
  };

  /** Refusals after the checks: the page again, with the reason, and nothing changed. */
  const refuseLetter = (req: Request, res: Response, kind: 'not_pdf' | 'too_many' | 'locked' | 'not_found') =>
    renderStatus(req, res, kind === 'locked' ? 409 : kind === 'not_found' ? 404 : 422, `opinions:letter.${kind}`);

  router.post('/gorus/:token/yazi', admitted, readLetter, deps.honeypot, async (req, res) => {
    const invitation = invitationOf(req);
    if (!req.file || req.file.size === 0) return renderStatus(req, res, 422, 'opinions:letter.missing');
    const outcome = await storeLetter(db, store, { invitationId: invitation.id, originalName: req.file.originalname, content: req.file.buffer }, deps.now());
    if (outcome.kind !== 'stored') return refuseLetter(req, res, outcome.kind);
    res.redirect(303, `${base(req)}?yazi=yuklendi-${outcome.id}#letter-heading`);
  });

  router.post('/gorus/:token/yazi/:letter/degistir', admitted, readLetter, deps.honeypot, async (req, res) => {
    const invitation = invitationOf(req);
    const letterId = letterIdOf(req);
    if (!req.file || req.file.size === 0) return renderStatus(req, res, 422, 'opinions:letter.missing');
    const outcome = await replaceLetter(db, store, { invitationId: invitation.id, letterId, originalName: req.file.originalname, content: req.file.buffer }, deps.now());
    if (outcome.kind !== 'replaced') return refuseLetter(req, res, outcome.kind);
    res.redirect(303, `${base(req)}?yazi=degisti-${outcome.id}#letter-heading`);
  });

  router.post('/gorus/:token/yazi/:letter/sil', admitted, async (req, res) => {
    const invitation = invitationOf(req);
    const outcome = await removeLetter(db, store, { invitationId: invitation.id, letterId: letterIdOf(req) }, deps.now());
    if (outcome.kind !== 'removed') return refuseLetter(req, res, outcome.kind);
    res.redirect(303, `${base(req)}?yazi=kaldirildi#letter-heading`);
  });

  router.get('/gorus/:token/:section', admitted, sections.show);
  router.post('/gorus/:token/:section', admitted, sections.submit);

  // Institutions that were not invited.

  /** Institution forms open now, for the self-registration page. */
  const openForms = () => catalog.surveys.filter((s) => s.audience === 'institution' && surveyStatus(catalog.schedule(s.slug), deps.now()) === 'open');

  const renderRegister = (req: Request, res: Response, status: number, values: Record<string, unknown>, errors: Record<string, string>) => {
    const forms = openForms();
    res.status(status).render('opinions/register', {
      pageTitle: res.locals.t('opinions:register.title'),
      description: res.locals.t('opinions:register.lead'),
      forms,
      groups: SELF_GROUPS,
      values: { language: res.locals.lang, survey: forms[0]?.slug, ...values },
      errors,
      csrfToken: forms.length > 0 ? csrf.token(req, res) : '',
    });
  };

  /** An address whose invitation was revoked or ran out: said plainly, with whom to ask, and no way round. */
  const renderRefusal = (res: Response, reason: 'revoked' | 'expired') => {
    res.render('opinions/register-refused', { pageTitle: res.locals.t('opinions:register.refused_title'), reason });
  };

  router.get('/kurum-gorusu', (req, res) => {
    renderRegister(req, res, 200, {}, {});
  });

  router.post('/kurum-gorusu', async (req, res) => {
    const forms = openForms();
    const form = parseForm(SelfRegistrationForm, req.body);
    const survey = forms.find((s) => s.slug === (form.ok ? form.data.survey : req.body?.survey)) ?? (forms.length === 1 ? forms[0] : undefined);
    if (!form.ok || !survey) {
      const errors = form.ok ? {} : form.errors;
      if (!survey) errors.survey = forms.length === 0 ? 'opinions:register.none_open' : 'errors:form.invalid';
      return renderRegister(req, res, 422, typeof req.body === 'object' ? req.body : {}, errors);
    }
    const email = form.data.email.toLowerCase();
    const outcome = await invitationService.requestSelfRegistration(db, deps.mail, {
      survey,
      name: form.data.name,
      group: form.data.group as (typeof SELF_GROUPS)[number],
      email,
      contactPerson: form.data.contact_person || null,
      language: form.data.language,
      now: deps.now(),
    });
    // A refusal is an answer, not a refused post: the request reached the planners (a note is written).
    if (outcome.kind === 'refused') return renderRefusal(res, outcome.reason);
    res.render('opinions/register-sent', { pageTitle: res.locals.t('opinions:register.sent_title'), email, hours: invitationService.CONFIRMATION_HOURS });
  });

  const ConfirmToken = z.string().regex(/^[A-Za-z0-9_-]{22}$/);

  // A GET only shows a button: mail scanners that open links must not confirm for the institution.
  router.get('/kurum-gorusu/onay/:token', (req, res) => {
    const token = ConfirmToken.safeParse(req.params.token);
    res.status(token.success ? 200 : 404).render('opinions/confirm', {
      pageTitle: res.locals.t('opinions:confirm.title'),
      state: token.success ? 'ask' : 'unknown',
      action: token.success ? `/kurum-gorusu/onay/${token.data}` : '',
      csrfToken: token.success ? csrf.token(req, res) : '',
    });
  });

  router.post('/kurum-gorusu/onay/:token', async (req, res) => {
    const outcome = await invitationService.confirmSelfRegistration(db, deps.mail, String(req.params.token), catalog, deps.now());
    if (outcome.kind === 'confirmed') return res.redirect(303, `/gorus/${outcome.token}${outcome.language === 'en' ? '?lang=en' : ''}`);
    if (outcome.kind === 'refused') return renderRefusal(res, outcome.reason);
    res.status(outcome.kind === 'already_confirmed' ? 409 : outcome.kind === 'unknown' ? 404 : 410).render('opinions/confirm', {
      pageTitle: res.locals.t('opinions:confirm.title'),
      state: outcome.kind,
      action: '',
      csrfToken: '',
    });
  });

  return router;
}
