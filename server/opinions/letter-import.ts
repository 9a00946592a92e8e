// Letters uploaded while they were kept as files (UPLOADS_DIR/letters/<stored_name>) are copied
// into the database, once: run at start-up and by the CLI that migrates, so an existing
// installation loses none. Idempotent: only letters without bytes in the database are looked at,
// and a letter another process imported meanwhile is left as it is. The files stay where they
// are (the operator deletes the folder once the log says every letter is in the database).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Executor } from '../platform/db/connection';
import * as invitationRepository from './invitation.repository';

export interface LetterImport {
  /** Letters whose bytes were copied from their file now. */
  imported: number;
  /** Ids of letters with neither bytes in the database nor a file (they cannot be downloaded). */
  missing: number[];
  /** Ids of letters whose file is not what was uploaded (another size or sha256): left out. */
  mismatched: number[];
  /** Ids of letters whose file could not be read (permissions, I/O), with the error's code. */
  unreadable: { id: number; code: string }[];
}

/** The file a letter was kept in; stored names were ours (32 hex digits), never trusted to point elsewhere. */
function legacyFile(uploadsDir: string, storedName: string): string | undefined {
  return /^[0-9a-f]{32}\.pdf$/.test(storedName) ? path.join(uploadsDir, 'letters', storedName) : undefined;
}

/** The file's bytes, 'missing' when there is none, or the code of what kept it from being read. */
function readLetterFile(file: string | undefined): Buffer | 'missing' | { code: string } {
  if (!file) return 'missing';
  try {
    return fs.readFileSync(file);
  } catch (error) {
    const code = String((error as { code?: unknown }).code ?? 'EIO');
    return code === 'ENOENT' ? 'missing' : { code };
  }
}

/** One letter at a time, so memory holds one file (at most MAX_LETTER_BYTES) whatever their number. */
export async function importLetterFiles(db: Executor, uploadsDir: string): Promise<LetterImport> {
  const outcome: LetterImport = { imported: 0, missing: [], mismatched: [], unreadable: [] };
  for (const letter of await invitationRepository.lettersWithoutContent(db)) {
    // A file that cannot be read is reported and tried again at the next start; the site still starts.
    const content = readLetterFile(legacyFile(uploadsDir, letter.stored_name));
    if (content === 'missing') {
      outcome.missing.push(letter.id);
      continue;
    }
    if (!Buffer.isBuffer(content)) {
      outcome.unreadable.push({ id: letter.id, code: content.code });
      continue;
    }
    // The row's size and digest were taken from the upload: a file that differs is not that letter.
    if (content.length !== letter.size || crypto.createHash('sha256').update(content).digest('hex') !== letter.sha256) {
      outcome.mismatched.push(letter.id);
      continue;
    }
    if (await invitationRepository.insertLetterContent(db, letter.id, content)) outcome.imported++;
  }
  return outcome;
}

/** What the operator reads at start-up; nothing when there was nothing to do. */
export function letterImportReport(result: LetterImport, uploadsDir: string): { info?: string; warning?: string } {
  const folder = path.join(uploadsDir, 'letters');
  const info =
    result.imported > 0
      ? `Letters: copied ${result.imported} file(s) from ${folder} into the database; the files were left in place.` +
        (result.missing.length + result.mismatched.length + result.unreadable.length === 0 ? ' Every letter is now in the database: that folder can be deleted.' : '')
      : undefined;
  const problems = [
    result.missing.length > 0 ? `no file for letter(s) ${result.missing.join(', ')}` : '',
    result.mismatched.length > 0 ? `file differs from the upload (size or sha256) for letter(s) ${result.mismatched.join(', ')}` : '',
    result.unreadable.length > 0 ? `file unreadable for letter(s) ${result.unreadable.map((u) => `${u.id} (${u.code})`).join(', ')}` : '',
  ].filter(Boolean);
  const warning =
    problems.length > 0
      ? `Letters not in the database yet (${problems.join('; ')}) under UPLOADS_DIR=${uploadsDir}: they cannot be downloaded. Put the files back and restart; keep the folder until then.`
      : undefined;
  return { info, warning };
}
