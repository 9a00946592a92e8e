// Saving a section of a survey and completing the response. The route opens the transaction;
// everything here runs inside it, so a submission is stored whole or not at all.
import crypto from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Executor } from '../platform/db/connection';
import type { Database } from '../platform/db/database';
import * as responseRepository from './response.repository';
import type { ResponseChannel } from './response.table';
import { surveyForChannel } from './answer-requirement';
import { answerRows, answersToFields, fieldNames, parseQuestion, type Answer, type FormFields } from './survey-answers';
import { allQuestions, type Survey } from './survey-definition';
import { evaluate, planSectionPost, type QuestionError } from './survey-flow';
import { hashToken } from '../platform/tokens';
import * as qualityService from './quality/quality.service';

/** A draft can be resumed this long after it was last saved. */
export const DRAFT_LIFETIME_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

export { hashToken };

export function draftCutoff(now: Date): Date {
  return new Date(now.getTime() - DRAFT_LIFETIME_DAYS * DAY_MS);
}

/**
 * An institution's draft is tied to its invitation, whose deadline is weeks away, not to a
 * browser: it lives as long as the invitation does.
 */
export function draftsExpire(survey: Pick<Survey, 'audience'>): boolean {
  return survey.audience !== 'institution';
}

/** Empties drafts that can no longer be resumed (run at start-up and hourly). */
export async function clearExpiredDrafts(db: Executor, now: Date, surveys: Pick<Survey, 'slug' | 'audience'>[] = []): Promise<number> {
  const kept = surveys.filter((survey) => !draftsExpire(survey)).map((survey) => survey.slug);
  return responseRepository.clearExpiredDrafts(db, draftCutoff(now), kept);
}

/** What the browser's draft token leads to. */
export type BrowserResponse =
  | { kind: 'none' }
  | { kind: 'draft'; id: number; fields: FormFields }
  | { kind: 'complete'; id: number };

export async function findBrowserResponse(
  db: Executor,
  survey: Survey,
  tokenHash: string | undefined,
  now: Date,
): Promise<BrowserResponse> {
  if (!tokenHash) return { kind: 'none' };
  const found = await responseRepository.findByTokenHash(db, survey.slug, tokenHash);
  if (!found) return { kind: 'none' };
  if (found.status === 'complete') return { kind: 'complete', id: found.id };
  if (draftsExpire(survey) && found.updatedAt < draftCutoff(now).toISOString()) return { kind: 'none' };
  return { kind: 'draft', id: found.id, fields: found.fields };
}

export interface SectionPost {
  survey: Survey;
  sectionIndex: number;
  /** Only the fields this section may post; the route refuses anything else. */
  posted: FormFields;
  nav: 'next' | 'back';
  /** Hash of the token in the browser's draft cookie, if it has one. */
  draftTokenHash: string | undefined;
  /**
   * The token for a draft this post creates. The route derives it from the page's key, so a
   * double tap on a first page finds the draft the first tap made instead of making another.
   */
  newDraftToken: string;
  idempotencyKey: string;
  language: string;
  channel: ResponseChannel;
  /** The planner typing in a paper or face-to-face questionnaire. */
  enteredBy?: number | null;
  now: Date;
  /** Writes that belong with the save or the completion, in the same transaction (e.g. tracking, a receipt e-mail). */
  afterSave?: (trx: Transaction<Database>, responseId: number) => Promise<void>;
  afterComplete?: (trx: Transaction<Database>, responseId: number) => Promise<void>;
  /** Answers known beforehand (see planSectionPost). */
  fixed?: FormFields;
  /** The client's address (req.ip), for the burst check; only a keyed hash of its network is kept. */
  clientAddress?: string | null;
}

export type SectionOutcome =
  /** values: what the page shows again, the posted fields over the saved ones. */
  | { kind: 'invalid'; errors: QuestionError[]; values: FormFields }
  /** goTo is a section index, or null for the survey's intro page; draftToken is set when the cookie must be (re)set. */
  | { kind: 'saved'; goTo: number | null; draftToken?: string }
  | { kind: 'incomplete'; goTo: number; draftToken?: string }
  | { kind: 'completed'; responseId: number }
  | { kind: 'already_submitted'; responseId: number };

export async function submitSection(trx: Transaction<Database>, post: SectionPost): Promise<SectionOutcome> {
  const { sectionIndex, nav, now } = post;
  // Data entry takes blanks as blanks: "required" is asked of people answering online only.
  const survey = surveyForChannel(post.survey, post.channel);
  if (nav === 'next') {
    const earlier = await responseRepository.findCompleteByIdempotencyKey(trx, post.idempotencyKey);
    if (earlier) return { kind: 'already_submitted', responseId: earlier.id };
  }

  let current = await findBrowserResponse(trx, survey, post.draftTokenHash, now);
  let draftToken: string | undefined;
  if (current.kind === 'complete') return { kind: 'already_submitted', responseId: current.id };
  if (current.kind === 'none') {
    draftToken = post.newDraftToken;
    current = await findBrowserResponse(trx, survey, hashToken(draftToken), now);
    if (current.kind === 'complete') return { kind: 'already_submitted', responseId: current.id };
  }
  const plan = planSectionPost(survey, sectionIndex, current.kind === 'draft' ? current.fields : {}, post.posted, nav, post.fixed);
  if (plan.kind === 'invalid') return plan;

  /** Saves the fields into the browser's draft, starting one if it has none; returns its id. */
  const saveDraft = async (): Promise<number> => {
    if (current.kind === 'draft') {
      await responseRepository.updateDraft(trx, current.id, plan.fields, post.language, now);
      return current.id;
    }
    return responseRepository.insertResponse(trx, {
      survey,
      tokenHash: hashToken(draftToken!),
      fields: plan.fields,
      language: post.language,
      channel: post.channel,
      enteredBy: post.enteredBy ?? null,
      now,
    });
  };
  const cookie = draftToken ? { draftToken } : {};
  if (plan.kind === 'save') {
    // Saved first, then the hook: `hook?.(await save())` would skip the save when there is no hook.
    const id = await saveDraft();
    await post.afterSave?.(trx, id);
    return { kind: 'saved', goTo: plan.goTo, ...cookie };
  }
  if (plan.kind === 'incomplete') {
    const id = await saveDraft();
    await post.afterSave?.(trx, id);
    return { kind: 'incomplete', goTo: plan.goTo, ...cookie };
  }

  // A draft about to be completed keeps its id; its saved fields would be dropped straight away.
  const responseId = current.kind === 'draft' ? current.id : await saveDraft();
  await completeResponse(trx, {
    survey,
    responseId,
    answers: plan.answers,
    fields: plan.fields,
    idempotencyKey: post.idempotencyKey,
    language: post.language,
    channel: post.channel,
    now,
    prefilled: Object.keys(post.fixed ?? {}),
    clientAddress: post.clientAddress,
  });
  await post.afterComplete?.(trx, responseId);
  return { kind: 'completed', responseId };
}

/** Stores a draft's answers and completes it: answer rows, running counts and quality flags, one transaction. */
async function completeResponse(
  trx: Transaction<Database>,
  completion: {
    survey: Survey;
    responseId: number;
    answers: ReadonlyMap<string, Answer>;
    fields: FormFields;
    idempotencyKey: string;
    language: string;
    channel: ResponseChannel;
    now: Date;
    prefilled: string[];
    clientAddress?: string | null;
  },
): Promise<void> {
  const { survey, responseId, now } = completion;
  const rows = allQuestions(survey).flatMap((question) => {
    const answer = completion.answers.get(question.id);
    return answer ? answerRows(question.id, answer) : [];
  });
  await responseRepository.insertAnswers(trx, responseId, rows);
  const completed = await responseRepository.markComplete(
    trx,
    responseId,
    { idempotencyKey: completion.idempotencyKey, language: completion.language, definitionHash: survey.hash, now },
    { surveySlug: survey.slug, answers: rows },
  );
  if (completed) {
    await qualityService.assessCompletion(trx, {
      survey,
      responseId,
      channel: completion.channel,
      startedAt: await responseRepository.startedAt(trx, responseId),
      now,
      fields: completion.fields,
      prefilled: completion.prefilled,
      rows,
      clientAddress: completion.clientAddress,
    });
  }
}

/** The channels a clerk types questionnaires in through. */
export type EntryChannel = Exclude<ResponseChannel, 'online'>;

/** One whole paper or face-to-face questionnaire as a clerk typed it, in form fields (see survey-answers). */
export interface EnteredQuestionnaire {
  survey: Survey;
  channel: EntryChannel;
  /** The clerk who typed it in ("Giren"). */
  enteredBy: number;
  /** Every question's fields at once; a question left out or blank is stored as no answer. */
  fields: FormFields;
  /** Carried by the form that sent it, so a repeated post stores one response. */
  idempotencyKey: string;
  language: string;
  now: Date;
}

export type EntryOutcome =
  /** Values that are no answer (unknown option, out of range…); nothing stored. */
  | { kind: 'invalid'; errors: QuestionError[] }
  /** ignored: questions with a value typed although their condition hides them; not stored. */
  | { kind: 'completed'; responseId: number; ignored: string[] }
  | { kind: 'already_submitted'; responseId: number };

/**
 * Stores a complete paper or face-to-face questionnaire in one go (the data-entry grid): the same
 * validation and conditions as the section pages, blanks kept as blanks, the clerk recorded as
 * "Giren". The caller opens the transaction; the response is stored whole or not at all.
 */
export async function storeEnteredQuestionnaire(trx: Transaction<Database>, entry: EnteredQuestionnaire): Promise<EntryOutcome> {
  const earlier = await responseRepository.findCompleteByIdempotencyKey(trx, entry.idempotencyKey);
  if (earlier) return { kind: 'already_submitted', responseId: earlier.id };
  const survey = surveyForChannel(entry.survey, entry.channel);
  const known = new Set(allQuestions(survey).flatMap(fieldNames));
  const fields = Object.fromEntries(Object.entries(entry.fields).filter(([name]) => known.has(name))) as FormFields;
  const evaluation = evaluate(survey, fields);
  const errors = [...evaluation.errors.values()].flat();
  if (errors.length > 0) return { kind: 'invalid', errors };
  const ignored = allQuestions(survey)
    .filter((question) => !evaluation.visible.has(question.id) && parseQuestion(question, fields).answer !== undefined)
    .map((question) => question.id);
  const responseId = await storeEnteredAnswers(trx, { ...entry, survey, answers: evaluation.answers, fields });
  return { kind: 'completed', responseId, ignored };
}

/**
 * Stores a clerk's questionnaire already read into answers (the entry grid reads its cells, the
 * one-go entry its fields) as a complete response: "Giren" recorded, blanks left out, counts and
 * the quality checks that apply to entries, like the stepwise entry. Returns the response's id.
 */
export async function storeEnteredAnswers(
  trx: Transaction<Database>,
  entry: Omit<EnteredQuestionnaire, 'fields'> & { answers: ReadonlyMap<string, Answer>; fields?: FormFields },
): Promise<number> {
  const responseId = await responseRepository.insertResponse(trx, {
    survey: entry.survey,
    // Nobody resumes an entry typed in one go; the column only needs a value no browser holds.
    tokenHash: hashToken(crypto.randomBytes(32).toString('base64url')),
    fields: {},
    language: entry.language,
    channel: entry.channel,
    enteredBy: entry.enteredBy,
    now: entry.now,
  });
  await completeResponse(trx, {
    survey: entry.survey,
    responseId,
    answers: entry.answers,
    // The quality checks read fields: the grid's answers written back as the fields they come from.
    fields: entry.fields ?? answersToFields(allQuestions(entry.survey), [...entry.answers].flatMap(([id, answer]) => answerRows(id, answer))),
    idempotencyKey: entry.idempotencyKey,
    language: entry.language,
    channel: entry.channel,
    now: entry.now,
    prefilled: [],
  });
  return responseId;
}
