// The page-per-section flow, shared by the three ways a survey is filled: by a citizen online, by a
// planner typing in a paper or face-to-face questionnaire, and as a preview that stores nothing.
import crypto from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { CommitGroup } from '../platform/db/commit-group';
import type { Db, Executor } from '../platform/db/connection';
import { AppError } from '../platform/http/app-error';
import type { Csrf } from '../platform/http/csrf';
import { keepFormOnStorageFailure } from '../platform/http/error-handler';
import ejs from 'ejs';
import { renderAlways, type Fragments, type PageCache } from '../platform/http/fragments';
import { firstText } from '../platform/http/meta-description';
import type { Database } from '../platform/db/database';
import type { Translate } from '../platform/i18n/i18n';
import { surveyForChannel } from './answer-requirement';
import * as responseRepository from './response.repository';
import * as responseService from './response.service';
import { hashToken, type SectionOutcome, type SectionPost } from './response.service';
import type { ResponseChannel } from './response.table';
import { answersToFields, ratingRange, type FormFields } from './survey-answers';
import { matrixRowGroups, notApplicablePosition } from './matrix-layout';
import { allQuestions, type Survey } from './survey-definition';
import { evaluate, planSectionPost, sectionFieldNames, sectionToShow, type QuestionError } from './survey-flow';
import { buildSectionPage, fieldId, type SectionPage } from './survey-page';

const RESERVED_FIELDS = new Set(['_csrf', '_nav', '_key', '_version']);
const SECTION_NUMBER = /^[1-9]\d{0,2}$/;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const Envelope = z.object({
  _nav: z.enum(['next', 'back']).default('next'),
  _key: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
  // Checked against the flow's current version (see PageVersion); any text, compared as it is.
  _version: z.string().max(100).optional(),
});

export interface SectionPagesDeps {
  db: Db;
  csrf: Csrf;
  /** Derives draft tokens from page keys. */
  secret: string;
  now: () => Date;
  /** Runs each submission's transaction, batching concurrent ones into one commit (see commit-group.ts); a plain transaction each without it. */
  commits?: CommitGroup;
}

export function sectionIndex(req: Request, survey: Survey): number {
  const number = String(req.params.section);
  if (!SECTION_NUMBER.test(number) || Number(number) > survey.sections.length) throw new AppError(404, 'errors:not_found');
  return Number(number) - 1;
}

export const newPageKey = () => crypto.randomBytes(16).toString('base64url');

/** The posted section: only its own fields, the envelope checked; anything else is refused. */
export function readSectionPost(req: Request, survey: Survey, index: number): { posted: FormFields; nav: 'next' | 'back'; key: string; version: string | undefined } {
  const body: Record<string, unknown> = req.body ?? {};
  const allowed = new Set(sectionFieldNames(survey, index));
  if (Object.keys(body).some((name) => !allowed.has(name) && !RESERVED_FIELDS.has(name))) throw new AppError(400, 'errors:unexpected_fields');
  const envelope = Envelope.safeParse(body);
  if (!envelope.success) throw new AppError(400, 'errors:bad_request');
  const posted = Object.fromEntries(Object.entries(body).filter(([name]) => allowed.has(name))) as FormFields;
  return { posted, nav: envelope.data._nav, key: envelope.data._key, version: envelope.data._version };
}

export interface SectionView {
  survey: Survey;
  index: number;
  values: FormFields;
  errors: QuestionError[];
  key: string;
  /** Where sections live: `${base}/${number}`. */
  base: string;
  /** A notice above the form (data entry, preview), with a link after it. */
  banner?: string;
  bannerLink?: { href: string; text: string };
  /** Questions answered beforehand (by id): not shown. */
  hidden?: string[];
  status?: number;
  /** The version the page is drawn from, sent back with the post (see PageVersion). */
  version?: string;
  /** Why the page is shown again (it was sent from an out-of-date page), with a way onwards. */
  notice?: PageNotice;
}

export interface PageNotice {
  text: string;
  link?: { href: string; text: string };
}

/** Stand-ins for the per-visitor values of a remembered page (see PageCache); random, so no text can contain them. */
const CSRF_HOLE = `pd-csrf-${crypto.randomBytes(12).toString('hex')}`;
const KEY_HOLE = `pd-key-${crypto.randomBytes(12).toString('hex')}`;

/**
 * What a section page depends on when it shows no answer, error, notice or banner: then it is the
 * same for everyone but its form token and page key, and can be remembered whole. Undefined
 * otherwise (answers typed, errors, data entry's banners, an institution's version).
 */
function blankPageKey(view: SectionView, page: SectionPage, language: string, action: string): string | undefined {
  if ((view.status ?? 200) !== 200 || view.banner !== undefined || view.bannerLink !== undefined || view.notice !== undefined || view.version !== undefined) return undefined;
  if (page.errors.length > 0 || page.questions.some((question) => question.fragmentKey === undefined)) return undefined;
  return [view.survey.hash, language, view.index, action, page.position, page.total, page.isLast, ...page.questions.map((question) => question.fragmentKey)].join('\u0001');
}

/** A number per survey object: the registry makes new objects for a new version, data entry its own copy. */
const surveyNumbers = new WeakMap<Survey, number>();
let surveysNumbered = 0;

/**
 * A new visitor's page (nothing answered, nothing to show but the questions) depends only on the
 * survey object, the language, the section and its address: known before the page is built.
 */
function newVisitorKey(view: SectionView, language: string, action: string): string | undefined {
  if (Object.keys(view.values).length > 0 || view.errors.length > 0 || (view.hidden ?? []).length > 0) return undefined;
  if ((view.status ?? 200) !== 200 || view.banner !== undefined || view.bannerLink !== undefined || view.notice !== undefined || view.version !== undefined) return undefined;
  let number = surveyNumbers.get(view.survey);
  if (number === undefined) surveyNumbers.set(view.survey, (number = ++surveysNumbered));
  return ['new', number, view.survey.hash, language, view.index, action].join('\u0001');
}

export function renderSection(req: Request, res: Response, csrf: Csrf, view: SectionView): void {
  const t: Translate = res.locals.t;
  const action = `${view.base}/${view.index + 1}`;
  const pages = req.app.get('pages') as PageCache | undefined;
  const fill = (pieces: readonly string[], csrfToken: string) => `${pieces[0]}${ejs.escapeXML(csrfToken)}${pieces[1]}${ejs.escapeXML(view.key)}${pieces[2]}`;
  const newVisitor = pages && newVisitorKey(view, res.locals.lang, action);
  const known = newVisitor === undefined ? undefined : pages!.find(newVisitor);
  if (known) {
    res.status(200).type('html').send(fill(known, csrf.token(req, res)));
    return;
  }
  const page = buildSectionPage({
    survey: view.survey,
    sectionIndex: view.index,
    evaluation: evaluate(view.survey, view.values, view.hidden),
    values: view.values,
    errors: view.errors,
    language: res.locals.lang,
    t,
    formatDate: (isoDate) => res.locals.formatDate(`${isoDate}T12:00:00Z`),
    hidden: view.hidden ?? [],
  });
  const csrfToken = csrf.token(req, res);
  const key = pages && blankPageKey(view, page, res.locals.lang, action);
  const remembered = key === undefined ? undefined : pages!.find(key);
  if (remembered) {
    if (newVisitor !== undefined) pages!.keep(newVisitor, remembered);
    res.status(200).type('html').send(fill(remembered, csrfToken));
    return;
  }
  const section = res.locals.localize(view.survey.sections[view.index]!.title).text;
  const sectionIntro = view.survey.sections[view.index]!.intro;
  const locals = {
    pageTitle: page.errors.length > 0 ? t('surveys:error_title', { title: section }) : section,
    description: firstText(sectionIntro && res.locals.localize(sectionIntro).text, res.locals.localize(view.survey.intro).text),
    page,
    action,
    banner: view.banner,
    bannerLink: view.bannerLink,
    notice: view.notice,
    csrfToken,
    idempotencyKey: view.key,
    version: view.version,
    fieldId,
    ratingRange,
    matrixRowGroups,
    notApplicablePosition,
    fragments: (req.app.get('fragments') as Fragments | undefined) ?? renderAlways,
    scripts: ['js/survey.js'],
  };
  if (key === undefined) {
    res.status(view.status ?? 200).render('surveys/section', locals);
    return;
  }
  res.render('surveys/section', { ...locals, csrfToken: CSRF_HOLE, idempotencyKey: KEY_HOLE }, (error: Error | null, html?: string) => {
    if (error) return req.next!(error);
    const [before, rest, ...moreCsrf] = html!.split(CSRF_HOLE);
    const [middle, after, ...moreKeys] = (rest ?? '').split(KEY_HOLE);
    // Each hole exactly once, the token first: anything else is not remembered, only filled in.
    if (rest === undefined || after === undefined || moreCsrf.length > 0 || moreKeys.length > 0) {
      res.status(200).type('html').send(html!.replaceAll(CSRF_HOLE, ejs.escapeXML(csrfToken)).replaceAll(KEY_HOLE, ejs.escapeXML(view.key)));
      return;
    }
    const pieces = [before!, middle!, after];
    pages!.keep(key, pieces);
    if (newVisitor !== undefined) pages!.keep(newVisitor, pieces);
    res.status(200).type('html').send(fill(pieces, csrfToken));
  });
}

const withoutFields = (fields: FormFields, names: Set<string>): FormFields => Object.fromEntries(Object.entries(fields).filter(([name]) => !names.has(name)));

/** How a flow that stores responses differs between the public site and data entry. */
export interface StoredFlow {
  base(req: Request, survey: Survey): string;
  /** Whether the request may go on; when not, the flow has already answered it. */
  admit(req: Request, res: Response, survey: Survey): boolean;
  readToken(req: Request, survey: Survey): string | undefined;
  writeToken(req: Request, res: Response, survey: Survey, token: string): void;
  /** The token a new draft gets; by default derived from the page's key (see SectionPost). */
  newToken?(req: Request, survey: Survey, pageKey: string): string;
  /**
   * Answers known beforehand (an invited institution's type), keyed by question id: those
   * questions are not shown, and their answer is always this one.
   */
  fixedFields?(req: Request, survey: Survey): FormFields;
  afterSave?(req: Request, res: Response, survey: Survey): SectionPost['afterSave'];
  afterComplete?(req: Request, res: Response, survey: Survey): SectionPost['afterComplete'];
  channel(req: Request): ResponseChannel;
  enteredBy(req: Request, res: Response): number | null;
  /** The response is stored (or was already): clear the draft and move on. */
  finish(req: Request, res: Response, survey: Survey, responseId: number): void;
  banner?(req: Request, res: Response, survey: Survey): string;
  bannerLink?(req: Request, res: Response, survey: Survey): { href: string; text: string };
  /** Set where one response can be changed from several windows at once (an institution's form). */
  version?: PageVersion;
}

/**
 * What a page was drawn from, carried in the form: a post from a page drawn before another window
 * submitted or reopened the response is not saved (nor acknowledged as a submission), but shown
 * again with what was typed and a notice. Saves of the same open draft do not change it.
 */
export interface PageVersion {
  /** The version now; null when nothing can be saved into (the response was submitted meanwhile). */
  current(db: Executor, req: Request, survey: Survey): Promise<string | null>;
  /** The notice over a page sent from an earlier version; `submitted` when its response was sent meanwhile. */
  notice(req: Request, res: Response, survey: Survey, submitted: boolean): PageNotice;
}

export function storedSectionHandlers(
  deps: SectionPagesDeps,
  flow: StoredFlow,
  findDefinedSurvey: (req: Request) => Survey,
): { show: RequestHandler; submit: RequestHandler } {
  // Data entry takes blanks as blanks (see answer-requirement): its pages mark nothing required.
  const findSurvey = (req: Request) => surveyForChannel(findDefinedSurvey(req), flow.channel(req));
  const tokenHash = (req: Request, survey: Survey) => {
    const token = flow.readToken(req, survey);
    return token && TOKEN.test(token) ? hashToken(token) : undefined;
  };
  const draftTokenFor = (key: string) => crypto.createHmac('sha256', deps.secret).update(`draft:${key}`).digest('base64url');

  const show: RequestHandler = async (req, res) => {
    const survey = findSurvey(req);
    const index = sectionIndex(req, survey);
    if (!flow.admit(req, res, survey)) return;
    // Read before the draft: a submission landing in between then makes this page stale, never the reverse.
    const version = flow.version ? ((await flow.version.current(deps.db, req, survey)) ?? '') : undefined;
    const found = await responseService.findBrowserResponse(deps.db, survey, tokenHash(req, survey), deps.now());
    if (found.kind === 'complete') return flow.finish(req, res, survey, found.id);
    const fixed = flow.fixedFields?.(req, survey) ?? {};
    const values = { ...(found.kind === 'draft' ? found.fields : {}), ...fixed };
    const evaluation = evaluate(survey, values, Object.keys(fixed));
    const base = flow.base(req, survey);
    const target = sectionToShow(survey, evaluation, index);
    if (target !== index) return res.redirect(303, `${base}/${target + 1}`);
    const errors = req.query.check === '1' ? (evaluation.errors.get(index) ?? []) : [];
    renderSection(req, res, deps.csrf, {
      survey,
      index,
      values,
      errors,
      key: newPageKey(),
      base,
      banner: flow.banner?.(req, res, survey),
      bannerLink: flow.bannerLink?.(req, res, survey),
      hidden: Object.keys(fixed),
      version,
    });
  };

  /** The answers a stale page is drawn over again: the draft open now, or the response sent. */
  const storedFields = async (req: Request, survey: Survey): Promise<FormFields> => {
    const found = await responseService.findBrowserResponse(deps.db, survey, tokenHash(req, survey), deps.now());
    if (found.kind === 'draft') return found.fields;
    if (found.kind === 'complete') return answersToFields(allQuestions(survey), await responseRepository.answersOf(deps.db, found.id));
    return {};
  };

  const submit: RequestHandler = async (req, res) => {
    const survey = findSurvey(req);
    const index = sectionIndex(req, survey);
    const read = readSectionPost(req, survey, index);
    if (!flow.admit(req, res, survey)) return;
    const fixed = flow.fixedFields?.(req, survey) ?? {};
    const onPage = new Set(sectionFieldNames(survey, index));
    const posted = { ...read.posted, ...Object.fromEntries(Object.entries(fixed).filter(([name]) => onPage.has(name))) };
    const { nav, key } = read;
    keepFormOnStorageFailure(res, async (text) => {
      // Reading may still work when writing does not (a full disk): the draft decides which
      // questions this page shows; without it the page shows what was posted.
      const stored = await storedFields(req, survey).catch(() => ({}));
      renderSection(req, res, deps.csrf, {
        survey,
        index,
        values: { ...withoutFields(stored, onPage), ...posted, ...fixed },
        errors: [],
        key,
        base: flow.base(req, survey),
        banner: flow.banner?.(req, res, survey),
      bannerLink: flow.bannerLink?.(req, res, survey),
        hidden: Object.keys(fixed),
        status: 503,
        version: flow.version ? read.version : undefined,
        notice: { text },
      });
    });
    const transaction = <T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> => (deps.commits ? deps.commits.run(work) : deps.db.transaction().execute(work));
    // Touches nothing but the transaction: in a batch that cannot commit it is run again alone.
    const outcome = await transaction(async (trx): Promise<SectionOutcome | { kind: 'stale'; current: string | null }> => {
      if (flow.version) {
        const current = await flow.version.current(trx, req, survey);
        // A second tap on the final button is the same submission, not a stale page.
        const replay = nav === 'next' && (await responseRepository.findCompleteByIdempotencyKey(trx, key)) !== undefined;
        if (current !== read.version && !replay) return { kind: 'stale', current };
      }
      return responseService.submitSection(trx, {
        survey,
        sectionIndex: index,
        posted,
        nav,
        draftTokenHash: tokenHash(req, survey),
        newDraftToken: flow.newToken?.(req, survey, key) ?? draftTokenFor(key),
        idempotencyKey: key,
        language: res.locals.lang,
        channel: flow.channel(req),
        enteredBy: flow.enteredBy(req, res),
        now: deps.now(),
        afterSave: flow.afterSave?.(req, res, survey),
        afterComplete: flow.afterComplete?.(req, res, survey),
        fixed,
        clientAddress: req.ip,
      });
    });
    const base = flow.base(req, survey);
    switch (outcome.kind) {
      case 'invalid':
        renderSection(req, res, deps.csrf, {
          survey,
          index,
          values: outcome.values,
          errors: outcome.errors,
          key,
          base,
          banner: flow.banner?.(req, res, survey),
      bannerLink: flow.bannerLink?.(req, res, survey),
          hidden: Object.keys(fixed),
          status: 422,
          version: flow.version ? read.version : undefined,
        });
        return;
      case 'stale':
        renderSection(req, res, deps.csrf, {
          survey,
          index,
          values: { ...withoutFields(await storedFields(req, survey), onPage), ...posted, ...fixed },
          errors: [],
          key,
          base,
          banner: flow.banner?.(req, res, survey),
      bannerLink: flow.bannerLink?.(req, res, survey),
          hidden: Object.keys(fixed),
          status: 409,
          // With nothing open to save into, the page keeps its old version: sent again, it is refused again.
          version: outcome.current ?? read.version ?? '',
          notice: flow.version!.notice(req, res, survey, outcome.current === null),
        });
        return;
      case 'saved':
      case 'incomplete': {
        // Every save renews the token's lifetime: a draft lives seven days after its last save.
        flow.writeToken(req, res, survey, outcome.draftToken ?? flow.readToken(req, survey)!);
        const target = outcome.goTo === null ? base : `${base}/${outcome.goTo + 1}`;
        res.redirect(303, outcome.kind === 'incomplete' ? `${target}?check=1` : target);
        return;
      }
      case 'completed':
      case 'already_submitted':
        flow.finish(req, res, survey, outcome.responseId);
        return;
      default: {
        const exhaustive: never = outcome;
        throw new Error(`Unhandled outcome ${JSON.stringify(exhaustive)}`);
      }
    }
  };

  return { show, submit };
}

/**
 * A preview: the same pages, validation and conditions, with answers kept in the planner's session
 * only; nothing reaches the responses tables.
 */
export function previewSectionHandlers(
  deps: Pick<SectionPagesDeps, 'csrf'>,
  options: {
    base(req: Request, survey: Survey): string;
    findSurvey(req: Request): Survey;
    load(req: Request, survey: Survey): FormFields;
    save(req: Request, survey: Survey, fields: FormFields | undefined): void;
    banner(req: Request, res: Response, survey: Survey): string;
    finished(req: Request, res: Response, survey: Survey): void;
  },
): { show: RequestHandler; submit: RequestHandler } {
  const show: RequestHandler = (req, res) => {
    const survey = options.findSurvey(req);
    const index = sectionIndex(req, survey);
    const values = options.load(req, survey);
    const target = sectionToShow(survey, evaluate(survey, values), index);
    const base = options.base(req, survey);
    if (target !== index) return res.redirect(303, `${base}/${target + 1}`);
    renderSection(req, res, deps.csrf, { survey, index, values, errors: [], key: newPageKey(), base, banner: options.banner(req, res, survey) });
  };
  const submit: RequestHandler = (req, res) => {
    const survey = options.findSurvey(req);
    const index = sectionIndex(req, survey);
    const { posted, nav, key } = readSectionPost(req, survey, index);
    const plan = planSectionPost(survey, index, options.load(req, survey), posted, nav);
    const base = options.base(req, survey);
    switch (plan.kind) {
      case 'invalid':
        renderSection(req, res, deps.csrf, {
          survey,
          index,
          values: plan.values,
          errors: plan.errors,
          key,
          base,
          banner: options.banner(req, res, survey),
          status: 422,
        });
        return;
      case 'save':
        options.save(req, survey, plan.fields);
        res.redirect(303, plan.goTo === null ? base : `${base}/${plan.goTo + 1}`);
        return;
      case 'incomplete':
        options.save(req, survey, plan.fields);
        res.redirect(303, `${base}/${plan.goTo + 1}?check=1`);
        return;
      case 'complete':
        options.save(req, survey, undefined);
        options.finished(req, res, survey);
        return;
      default: {
        const exhaustive: never = plan;
        throw new Error(`Unhandled plan ${JSON.stringify(exhaustive)}`);
      }
    }
  };
  return { show, submit };
}
