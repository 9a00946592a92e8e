// An institution's official letter (resmî yazı): a PDF, checked by its content rather than its name,
// kept in the database (opinion_letter_contents, never under public/) and handed out only to
// planners. Until the institution submits its answer, a letter may be replaced or removed;
// submitting attaches it to that version of the answer for good.
//
// A letter's bytes and its row are written and deleted in one transaction, so every instance on
// every machine serves the same letters and no failure leaves one without the other.
import crypto from 'node:crypto';
import path from 'node:path';
import type { Db, Executor } from '../platform/db/connection';
import { hashToken } from '../platform/tokens';
import { responseRepository } from '../surveys';
import * as invitationRepository from './invitation.repository';
import { draftTokenOf, stillOpen } from './invitation.service';
import { inspectPdf, isAcceptedPdf } from './pdf-check';

export const MAX_LETTER_BYTES = 5 * 1024 * 1024;
/** Letters one answer (one version) may carry. */
export const MAX_LETTERS_PER_INVITATION = 5;

/** The secret the answers' rounds are derived from (lettersChangeable). */
export interface LetterStore {
  secret: string;
}

/** The name people see: no folders, no control characters, at most 120 characters, ending in .pdf. */
export function letterFileName(original: string): string {
  const base = path.basename(original.replace(/\\/g, '/')).replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '').trim();
  const stem = base.replace(/\.pdf$/i, '').slice(0, 110) || 'yazi';
  return `${stem}.pdf`;
}

/**
 * The row's stored_name, still NOT NULL UNIQUE from when letters were files: a random key in the
 * files' old form (32 hex digits), so the column keeps one format.
 */
function newStoredName(): string {
  return `${crypto.randomBytes(16).toString('hex')}.pdf`;
}

/**
 * The link is open and the answer not yet submitted (or being changed): letters may change.
 * Read inside the writing transaction, so a submission committed meanwhile locks them.
 */
export async function lettersChangeable(trx: Executor, secret: string, invitationId: number, now: Date): Promise<boolean> {
  const invitation = await stillOpen(trx, invitationId, now);
  const round = await responseRepository.findByTokenHash(trx, invitation.survey_slug, hashToken(draftTokenOf(secret, invitation)));
  return round?.status !== 'complete';
}

export interface StoredLetter {
  id: number;
  fileName: string;
  size: number;
  pages: number | null;
}

export type LetterOutcome = ({ kind: 'stored' } & StoredLetter) | { kind: 'not_pdf' } | { kind: 'too_many' } | { kind: 'locked' };

function describe(upload: { originalName: string; content: Buffer }, pages: number | null) {
  return {
    fileName: letterFileName(upload.originalName),
    size: upload.content.length,
    sha256: crypto.createHash('sha256').update(upload.content).digest('hex'),
    pages,
  };
}

export async function storeLetter(
  db: Db,
  store: LetterStore,
  upload: { invitationId: number; originalName: string; content: Buffer },
  now: Date,
): Promise<LetterOutcome> {
  // Checked by its structure (pdf-check.ts), never by its name or a marker somewhere inside.
  const inspection = await inspectPdf(upload.content);
  if (!isAcceptedPdf(inspection.verdict)) return { kind: 'not_pdf' };
  const letter = describe(upload, inspection.pages);
  return db.transaction().execute(async (trx): Promise<LetterOutcome> => {
    if (!(await lettersChangeable(trx, store.secret, upload.invitationId, now))) return { kind: 'locked' };
    if ((await invitationRepository.pendingLetters(trx, upload.invitationId)).length >= MAX_LETTERS_PER_INVITATION) return { kind: 'too_many' };
    const id = await invitationRepository.insertLetter(trx, { invitationId: upload.invitationId, storedName: newStoredName(), content: upload.content, ...letter }, now);
    return { kind: 'stored', id, fileName: letter.fileName, size: letter.size, pages: letter.pages };
  });
}

/** Why a letter could not be changed: not this invitation's (or gone), or already submitted. */
async function refusal(trx: Executor, invitationId: number, letterId: number): Promise<{ kind: 'not_found' } | { kind: 'locked' }> {
  const letter = await invitationRepository.findLetter(trx, letterId);
  return letter && letter.invitation_id === invitationId && letter.response_id !== null ? { kind: 'locked' } : { kind: 'not_found' };
}

export type ReplaceOutcome = ({ kind: 'replaced'; previous: string } & StoredLetter) | { kind: 'not_pdf' } | { kind: 'not_found' } | { kind: 'locked' };

/** The new letter takes the old one's place, bytes and row, in one transaction. */
export async function replaceLetter(
  db: Db,
  store: LetterStore,
  upload: { invitationId: number; letterId: number; originalName: string; content: Buffer },
  now: Date,
): Promise<ReplaceOutcome> {
  const inspection = await inspectPdf(upload.content);
  if (!isAcceptedPdf(inspection.verdict)) return { kind: 'not_pdf' };
  const letter = describe(upload, inspection.pages);
  return db.transaction().execute(async (trx): Promise<ReplaceOutcome> => {
    if (!(await lettersChangeable(trx, store.secret, upload.invitationId, now))) return { kind: 'locked' };
    const old = await invitationRepository.findLetter(trx, upload.letterId);
    if (!old || !(await invitationRepository.deletePendingLetter(trx, upload.invitationId, upload.letterId))) return refusal(trx, upload.invitationId, upload.letterId);
    const id = await invitationRepository.insertLetter(trx, { invitationId: upload.invitationId, storedName: newStoredName(), content: upload.content, ...letter }, now);
    return { kind: 'replaced', previous: old.file_name, id, fileName: letter.fileName, size: letter.size, pages: letter.pages };
  });
}

export type RemoveOutcome = { kind: 'removed'; fileName: string } | { kind: 'not_found' } | { kind: 'locked' };

export async function removeLetter(db: Db, store: LetterStore, target: { invitationId: number; letterId: number }, now: Date): Promise<RemoveOutcome> {
  return db.transaction().execute(async (trx): Promise<RemoveOutcome> => {
    if (!(await lettersChangeable(trx, store.secret, target.invitationId, now))) return { kind: 'locked' };
    const old = await invitationRepository.findLetter(trx, target.letterId);
    if (!old || !(await invitationRepository.deletePendingLetter(trx, target.invitationId, target.letterId))) return refusal(trx, target.invitationId, target.letterId);
    return { kind: 'removed', fileName: old.file_name };
  });
}
