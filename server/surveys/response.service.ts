// Saving a section of a survey and completing the response. The route opens the transaction;
// everything here runs inside it, so a submission is stored whole or not at all.
import crypto from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Executor } from '../platform/db/connection';
import type { Database } from '../platform/db/database';
import * as responseRepository from './response.repository';
import type { ResponseChannel } from './response.table';
import { answerRows, fieldNames, type FormFields } from './survey-answers';
import type { Survey } from './survey-definition';
import { evaluate, firstIncompleteSection, visibleSections, type QuestionError } from './survey-flow';

/** A draft can be resumed this long after it was last saved. */
export const DRAFT_LIFETIME_DAYS = 7;

export interface SectionPost {
  survey: Survey;
  sectionIndex: number;
  /** Only the fields this section may post; the route refuses anything else. */
  posted: FormFields;
  nav: 'next' | 'back';
  draftTokenHash: string | undefined;
  idempotencyKey: string;
  language: string;
  channel: ResponseChannel;
  now: Date;
}

export type SectionOutcome =
  | { kind: 'invalid'; errors: QuestionError[] }
  /** goTo is a section index, or null for the survey's intro page. */
  | { kind: 'saved'; goTo: number | null; newDraftToken?: string }
  | { kind: 'incomplete'; goTo: number; newDraftToken?: string }
  | { kind: 'completed'; responseId: number }
  | { kind: 'already_submitted'; responseId: number };

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

export function draftCutoff(now: Date): Date {
  return new Date(now.getTime() - DRAFT_LIFETIME_DAYS * 24 * 60 * 60 * 1000);
}

export async function findDraftFields(
  db: Executor,
  survey: Survey,
  draftTokenHash: string | undefined,
  now: Date,
): Promise<FormFields> {
  if (!draftTokenHash) return {};
  const draft = await responseRepository.findDraft(db, survey.slug, draftTokenHash, draftCutoff(now));
  return draft?.fields ?? {};
}

export async function submitSection(trx: Transaction<Database>, post: SectionPost): Promise<SectionOutcome> {
  const { survey, sectionIndex, nav, now } = post;
  if (nav === 'next') {
    const earlier = await responseRepository.findByIdempotencyKey(trx, post.idempotencyKey);
    if (earlier) return { kind: 'already_submitted', responseId: earlier.id };
  }

  const draft = post.draftTokenHash
    ? await responseRepository.findDraft(trx, survey.slug, post.draftTokenHash, draftCutoff(now))
    : undefined;
  const sectionFields = new Set(survey.sections[sectionIndex]!.questions.flatMap(fieldNames));
  const kept = Object.fromEntries(Object.entries(draft?.fields ?? {}).filter(([name]) => !sectionFields.has(name)));
  let fields: FormFields = { ...kept, ...post.posted };
  let evaluation = evaluate(survey, fields);
  const sectionErrors = evaluation.errors.get(sectionIndex) ?? [];

  if (nav === 'next' && sectionErrors.length > 0) return { kind: 'invalid', errors: sectionErrors };
  if (nav === 'back' && sectionErrors.length > 0) {
    // Going back keeps what is valid and drops what is not; nothing invalid is ever stored.
    const invalid = new Set(
      sectionErrors.filter((error) => error.code !== 'required' && error.code !== 'rows_required').map((e) => e.questionId),
    );
    const dropped = new Set(
      survey.sections[sectionIndex]!.questions.filter((q) => invalid.has(q.id)).flatMap(fieldNames),
    );
    fields = Object.fromEntries(Object.entries(fields).filter(([name]) => !dropped.has(name)));
    evaluation = evaluate(survey, fields);
  }

  const visible = visibleSections(survey, evaluation);
  const goTo =
    nav === 'back'
      ? ([...visible].reverse().find((index) => index < sectionIndex) ?? null)
      : visible.find((index) => index > sectionIndex);

  if (nav === 'back' || goTo !== undefined) {
    const saved = await saveDraft(trx, post, draft?.id, fields);
    return { kind: 'saved', goTo: goTo ?? null, ...saved };
  }

  const incomplete = firstIncompleteSection(survey, evaluation);
  if (incomplete !== undefined) {
    const saved = await saveDraft(trx, post, draft?.id, fields);
    return { kind: 'incomplete', goTo: incomplete, ...saved };
  }

  const responseId =
    draft?.id ??
    (await responseRepository.insertDraft(trx, {
      survey,
      // Completed in one post: there is no draft to resume, so no token either.
      tokenHash: null,
      fields,
      language: post.language,
      channel: post.channel,
      now,
    }));
  const rows = survey.sections
    .flatMap((section) => section.questions)
    .flatMap((question) => {
      const answer = evaluation.answers.get(question.id);
      return answer ? answerRows(question.id, answer) : [];
    });
  await responseRepository.insertAnswers(trx, responseId, rows);
  await responseRepository.markComplete(trx, responseId, {
    idempotencyKey: post.idempotencyKey,
    language: post.language,
    definitionHash: survey.hash,
    now,
  });
  return { kind: 'completed', responseId };
}

async function saveDraft(
  trx: Transaction<Database>,
  post: SectionPost,
  draftId: number | undefined,
  fields: FormFields,
): Promise<{ newDraftToken?: string }> {
  if (draftId !== undefined) {
    await responseRepository.updateDraft(trx, draftId, fields, post.language, post.now);
    return {};
  }
  const token = crypto.randomBytes(32).toString('base64url');
  await responseRepository.insertDraft(trx, {
    survey: post.survey,
    tokenHash: hashToken(token),
    fields,
    language: post.language,
    channel: post.channel,
    now: post.now,
  });
  return { newDraftToken: token };
}
