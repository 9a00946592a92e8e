// An institution's official letter (resmî yazı): a PDF, checked by its content rather than its name,
// stored under UPLOADS_DIR (never under public/) and handed out only to planners.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../platform/db/connection';
import { AppError } from '../platform/http/app-error';
import * as invitationRepository from './invitation.repository';
import { stillOpen } from './invitation.service';
import { checkPdf, isAcceptedPdf } from './pdf-check';

export const MAX_LETTER_BYTES = 5 * 1024 * 1024;
export const MAX_LETTERS_PER_INVITATION = 5;

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

export type LetterOutcome = { kind: 'stored'; id: number } | { kind: 'not_pdf' } | { kind: 'too_many' };

export async function storeLetter(
  db: Db,
  uploadsDir: string,
  upload: { invitationId: number; originalName: string; content: Buffer },
  now: Date,
): Promise<LetterOutcome> {
  // Checked by its structure (pdf-check.ts), never by its name or a marker somewhere inside.
  if (!isAcceptedPdf(await checkPdf(upload.content))) return { kind: 'not_pdf' };
  const folder = path.join(uploadsDir, 'letters');
  const storedName = `${crypto.randomBytes(16).toString('hex')}.pdf`;
  const file = path.join(folder, storedName);
  // The file first, then the row: a row never points at a missing file; a failed insert removes it.
  try {
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(file, upload.content, { flag: 'wx', mode: 0o640 });
  } catch (error) {
    removeQuietly(file);
    // A full disk or a folder it may not write: the institution is told to try later, nothing stays.
    throw new AppError(503, 'opinions:errors.storage', {}, error);
  }
  try {
    return await db.transaction().execute(async (trx): Promise<LetterOutcome> => {
      await stillOpen(trx, upload.invitationId, now);
      const existing = await invitationRepository.lettersOf(trx, [upload.invitationId]);
      if (existing.length >= MAX_LETTERS_PER_INVITATION) {
        fs.rmSync(file, { force: true });
        return { kind: 'too_many' };
      }
      const id = await invitationRepository.insertLetter(
        trx,
        {
          invitationId: upload.invitationId,
          fileName: letterFileName(upload.originalName),
          storedName,
          size: upload.content.length,
          sha256: crypto.createHash('sha256').update(upload.content).digest('hex'),
        },
        now,
      );
      return { kind: 'stored', id };
    });
  } catch (error) {
    fs.rmSync(file, { force: true });
    throw error;
  }
}

export function letterPath(uploadsDir: string, storedName: string): string {
  // Stored names are ours (32 hex digits), but a row is never trusted to point outside the folder.
  if (!/^[0-9a-f]{32}\.pdf$/.test(storedName)) throw new Error(`Unexpected stored letter name ${storedName}`);
  return path.join(uploadsDir, 'letters', storedName);
}
