// An institution's official letter (resmî yazı): a PDF, checked by its content rather than its name,
// stored under UPLOADS_DIR (never under public/) and handed out only to planners. Until the
// institution submits its answer, a letter may be replaced or removed; submitting attaches it to
// that version of the answer for good.
//
// Files and rows: a file is written before its row and removed after its row is gone, so a row
// never points at a missing file. A crash between the two can only leave a file no row points at;
// sweepOrphanLetters removes those (housekeeping).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db, Executor } from '../platform/db/connection';
import { AppError } from '../platform/http/app-error';
import { hashToken } from '../platform/tokens';
import { responseRepository } from '../surveys';
import * as invitationRepository from './invitation.repository';
import { draftTokenOf, stillOpen } from './invitation.service';
import { inspectPdf, isAcceptedPdf } from './pdf-check';

export const MAX_LETTER_BYTES = 5 * 1024 * 1024;
/** Letters one answer (one version) may carry. */
export const MAX_LETTERS_PER_INVITATION = 5;
/** A file younger than this may be an upload whose row is being written: the sweep leaves it. */
const ORPHAN_GRACE_MS = 60 * 60 * 1000;

/** Where letters are kept, and the secret the answers' rounds are derived from. */
export interface LetterStore {
  uploadsDir: string;
  secret: string;
}

/** The name people see: no folders, no control characters, at most 120 characters, ending in .pdf. */
export function letterFileName(original: string): string {
  const base = path.basename(original.replace(/\\/g, '/')).replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '').trim();
  const stem = base.replace(/\.pdf$/i, '').slice(0, 110) || 'yazi';
  return `${stem}.pdf`;
}

/** Best effort: the folder itself may be what failed. */
function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // Nothing was written there, or nothing can be: either way there is nothing to clean.
  }
}

export function letterPath(uploadsDir: string, storedName: string): string {
  // Stored names are ours (32 hex digits), but a row is never trusted to point outside the folder.
  if (!/^[0-9a-f]{32}\.pdf$/.test(storedName)) throw new Error(`Unexpected stored letter name ${storedName}`);
  return path.join(uploadsDir, 'letters', storedName);
}

/** Writes the file under a fresh random name; a full disk or a folder it may not write is a 503, nothing stays. */
function writeLetterFile(uploadsDir: string, content: Buffer): string {
  const storedName = `${crypto.randomBytes(16).toString('hex')}.pdf`;
  const file = letterPath(uploadsDir, storedName);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content, { flag: 'wx', mode: 0o640 });
  } catch (error) {
    removeQuietly(file);
    throw new AppError(503, 'opinions:errors.storage', {}, error);
  }
  return storedName;
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

/** A file written, then a transaction: undone (file removed) unless the transaction says 'keep'. */
async function withNewFile<T extends { kind: string }>(
  db: Db,
  store: LetterStore,
  content: Buffer,
  write: (trx: Executor, storedName: string) => Promise<T>,
  kept: T['kind'],
): Promise<T> {
  const storedName = writeLetterFile(store.uploadsDir, content);
  const file = letterPath(store.uploadsDir, storedName);
  let outcome: T;
  try {
    outcome = await db.transaction().execute((trx) => write(trx, storedName));
  } catch (error) {
    removeQuietly(file);
    throw error;
  }
  if (outcome.kind !== kept) removeQuietly(file);
  return outcome;
}

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
  return withNewFile<LetterOutcome>(
    db,
    store,
    upload.content,
    async (trx, storedName) => {
      if (!(await lettersChangeable(trx, store.secret, upload.invitationId, now))) return { kind: 'locked' };
      if ((await invitationRepository.pendingLetters(trx, upload.invitationId)).length >= MAX_LETTERS_PER_INVITATION) return { kind: 'too_many' };
      const id = await invitationRepository.insertLetter(trx, { invitationId: upload.invitationId, storedName, ...letter }, now);
      return { kind: 'stored', id, fileName: letter.fileName, size: letter.size, pages: letter.pages };
    },
    'stored',
  );
}

/** Why a letter could not be changed: not this invitation's (or gone), or already submitted. */
async function refusal(trx: Executor, invitationId: number, letterId: number): Promise<{ kind: 'not_found' } | { kind: 'locked' }> {
  const letter = await invitationRepository.findLetter(trx, letterId);
  return letter && letter.invitation_id === invitationId && letter.response_id !== null ? { kind: 'locked' } : { kind: 'not_found' };
}

export type ReplaceOutcome = ({ kind: 'replaced'; previous: string } & StoredLetter) | { kind: 'not_pdf' } | { kind: 'not_found' } | { kind: 'locked' };

/** The new file takes the old one's place in one transaction; the old file goes once that committed. */
export async function replaceLetter(
  db: Db,
  store: LetterStore,
  upload: { invitationId: number; letterId: number; originalName: string; content: Buffer },
  now: Date,
): Promise<ReplaceOutcome> {
  const inspection = await inspectPdf(upload.content);
  if (!isAcceptedPdf(inspection.verdict)) return { kind: 'not_pdf' };
  const letter = describe(upload, inspection.pages);
  let removed: string | undefined;
  const outcome = await withNewFile<ReplaceOutcome>(
    db,
    store,
    upload.content,
    async (trx, storedName) => {
      if (!(await lettersChangeable(trx, store.secret, upload.invitationId, now))) return { kind: 'locked' };
      const old = await invitationRepository.findLetter(trx, upload.letterId);
      const oldName = await invitationRepository.deletePendingLetter(trx, upload.invitationId, upload.letterId);
      if (!old || oldName === undefined) return refusal(trx, upload.invitationId, upload.letterId);
      const id = await invitationRepository.insertLetter(trx, { invitationId: upload.invitationId, storedName, ...letter }, now);
      removed = oldName;
      return { kind: 'replaced', previous: old.file_name, id, fileName: letter.fileName, size: letter.size, pages: letter.pages };
    },
    'replaced',
  );
  if (outcome.kind === 'replaced' && removed) removeQuietly(letterPath(store.uploadsDir, removed));
  return outcome;
}

export type RemoveOutcome = { kind: 'removed'; fileName: string } | { kind: 'not_found' } | { kind: 'locked' };

export async function removeLetter(db: Db, store: LetterStore, target: { invitationId: number; letterId: number }, now: Date): Promise<RemoveOutcome> {
  let removed: string | undefined;
  const outcome = await db.transaction().execute(async (trx): Promise<RemoveOutcome> => {
    if (!(await lettersChangeable(trx, store.secret, target.invitationId, now))) return { kind: 'locked' };
    const old = await invitationRepository.findLetter(trx, target.letterId);
    const storedName = await invitationRepository.deletePendingLetter(trx, target.invitationId, target.letterId);
    if (!old || storedName === undefined) return refusal(trx, target.invitationId, target.letterId);
    removed = storedName;
    return { kind: 'removed', fileName: old.file_name };
  });
  if (removed) removeQuietly(letterPath(store.uploadsDir, removed));
  return outcome;
}

/**
 * Removes letter files no row points at, older than an hour (a younger one may be an upload whose
 * row is being written): what a crash between a row's deletion and its file's removal leaves.
 */
export async function sweepOrphanLetters(db: Executor, uploadsDir: string, now: Date): Promise<number> {
  const folder = path.join(uploadsDir, 'letters');
  if (!fs.existsSync(folder)) return 0;
  const known = await invitationRepository.storedLetterNames(db);
  let removed = 0;
  for (const name of fs.readdirSync(folder)) {
    if (!/^[0-9a-f]{32}\.pdf$/.test(name) || known.has(name)) continue;
    const file = path.join(folder, name);
    if (now.getTime() - fs.statSync(file).mtimeMs < ORPHAN_GRACE_MS) continue;
    removeQuietly(file);
    removed++;
  }
  return removed;
}
