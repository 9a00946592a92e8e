// An installation that kept letters as files (UPLOADS_DIR/letters) loses none when they move into
// the database: the files of rows without bytes are imported, once, at start-up and by the admin
// CLI; a missing or altered file is reported and tried again later; the files are left in place.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { importLetterFiles, letterImportReport } from '../../server/opinions';
import { projectRoot } from '../../server/platform/paths';
import { addUser, downloadBinary, logIn } from '../helpers/admin';
import { openMigratedDatabase, testDatabaseUrl } from '../helpers/database-template';
import { invitedInstitution } from '../helpers/invitation';
import { LETTER_PDF, makePdf } from '../helpers/letter-pdf';
import { startServer } from '../helpers/server-process';
import { freePort } from '../helpers/smtp';
import { createTestApp, tempDir, type TestApp } from '../helpers/test-app';

jest.setTimeout(90_000);

let t: TestApp | undefined;

afterEach(async () => {
  expect(t?.logged ?? []).toEqual([]);
  await t?.close();
  t = undefined;
});

/**
 * A letter as uploaded before letters were kept in the database: its row (no bytes) and its file
 * under UPLOADS_DIR/letters, named by the row's stored_name.
 */
async function legacyLetter(app: TestApp, invitationId: number, uploadsDir: string, content: Buffer, name: string): Promise<{ id: number; file: string }> {
  const storedName = `${crypto.randomBytes(16).toString('hex')}.pdf`;
  const { id } = await app.db
    .insertInto('opinion_letters')
    .values({
      invitation_id: invitationId,
      file_name: name,
      stored_name: storedName,
      size: content.length,
      sha256: crypto.createHash('sha256').update(content).digest('hex'),
      pages: 1,
      uploaded_at: '2026-11-20T09:00:00.000Z',
      response_id: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const file = path.join(uploadsDir, 'letters', storedName);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return { id, file };
}

const contents = (app: TestApp) => app.db.selectFrom('opinion_letter_contents').selectAll().orderBy('letter_id').execute();

describe('importLetterFiles', () => {
  it('imports each file once, however often it runs, leaves the files, and the download serves the same bytes', async () => {
    t = await createTestApp();
    const uploadsDir = path.join(tempDir('paydas-uploads-'), 'uploads');
    const { id: invitationId } = await invitedInstitution(t);
    const second = await makePdf({ pages: 2 });
    const kept = await legacyLetter(t, invitationId, uploadsDir, LETTER_PDF, 'resmi-yazi.pdf');
    const lost = await legacyLetter(t, invitationId, uploadsDir, second, 'ek.pdf');
    const altered = await legacyLetter(t, invitationId, uploadsDir, LETTER_PDF, 'degisen.pdf');
    fs.renameSync(lost.file, `${lost.file}.moved`);
    fs.writeFileSync(altered.file, Buffer.concat([LETTER_PDF.subarray(0, 100), Buffer.from('X'), LETTER_PDF.subarray(101)]));

    const first = await importLetterFiles(t.db, uploadsDir);
    expect(first).toEqual({ imported: 1, missing: [lost.id], mismatched: [altered.id], unreadable: [] });
    const again = await importLetterFiles(t.db, uploadsDir);
    expect(again).toEqual({ imported: 0, missing: [lost.id], mismatched: [altered.id], unreadable: [] });
    expect(await contents(t)).toEqual([{ letter_id: kept.id, content: LETTER_PDF }]);
    expect(fs.readFileSync(kept.file)).toEqual(LETTER_PDF);

    // What the operator reads: what was copied, and which letters still wait for their file.
    const report = letterImportReport(first, uploadsDir);
    expect(report.info).toBe(`Letters: copied 1 file(s) from ${path.join(uploadsDir, 'letters')} into the database; the files were left in place.`);
    expect(report.warning).toContain(`no file for letter(s) ${lost.id}`);
    expect(report.warning).toContain(`file differs from the upload (size or sha256) for letter(s) ${altered.id}`);
    expect(letterImportReport(again, uploadsDir).info).toBeUndefined();

    const planner = await logIn(t, await addUser(t, 'planner'));
    const download = await downloadBinary(planner, `/admin/opinions/letters/${kept.id}`);
    expect(download.status).toBe(200);
    expect(download.body).toEqual(LETTER_PDF);
    // Not in the database: not found, as a missing file was before.
    expect((await planner.get(`/admin/opinions/letters/${lost.id}`)).status).toBe(404);

    // The file put back: the next run takes it, and then every letter is in the database.
    fs.renameSync(`${lost.file}.moved`, lost.file);
    fs.writeFileSync(altered.file, LETTER_PDF);
    const last = await importLetterFiles(t.db, uploadsDir);
    expect(last).toEqual({ imported: 2, missing: [], mismatched: [], unreadable: [] });
    expect(letterImportReport(last, uploadsDir).info).toContain('Every letter is now in the database: that folder can be deleted.');
    expect(letterImportReport(last, uploadsDir).warning).toBeUndefined();
    expect((await contents(t)).map((c) => c.letter_id)).toEqual([kept.id, lost.id, altered.id]);
    expect(Buffer.compare((await downloadBinary(planner, `/admin/opinions/letters/${lost.id}`)).body as Buffer, second)).toBe(0);
  });

  it('stores a letter once when two processes import at the same moment', async () => {
    t = await createTestApp();
    const uploadsDir = path.join(tempDir('paydas-uploads-'), 'uploads');
    const { id: invitationId } = await invitedInstitution(t);
    const letter = await legacyLetter(t, invitationId, uploadsDir, LETTER_PDF, 'resmi-yazi.pdf');
    const [a, b] = await Promise.all([importLetterFiles(t.db, uploadsDir), importLetterFiles(t.db, uploadsDir)]);
    expect(a!.imported + b!.imported).toBe(1);
    expect(await contents(t)).toEqual([{ letter_id: letter.id, content: LETTER_PDF }]);
  });
});

/** npm run admin -- create-user, as an operator runs it. */
function adminCli(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/admin/admin-cli.ts', 'create-user', '--email', 'yonetici@example.org', '--name', 'Yönetici', '--role', 'admin'], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end('guclu-bir-parola-1\n');
  });
}

describe('an existing installation started on this version', () => {
  it('imports the letter files at start-up and through the admin CLI, each once', async () => {
    const dir = tempDir('paydas-letter-start-');
    const file = path.join(dir, 'paydas.sqlite');
    const uploadsDir = path.join(dir, 'uploads');
    const setup = await createTestApp({ databaseFile: file });
    const { id: invitationId } = await invitedInstitution(setup);
    const early = await legacyLetter(setup, invitationId, uploadsDir, LETTER_PDF, 'ilk.pdf');
    const late = await legacyLetter(setup, invitationId, uploadsDir, LETTER_PDF, 'ikinci.pdf');
    await setup.close();
    fs.renameSync(late.file, `${late.file}.moved`);

    const env = { DATABASE_URL: await testDatabaseUrl(file), UPLOADS_DIR: uploadsDir };
    const server = await startServer({ ...env, PORT: String(await freePort()) });
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain(`Letters: copied 1 file(s) from ${path.join(uploadsDir, 'letters')} into the database; the files were left in place.`);
    expect(server.output()).toContain(`Letters not in the database yet (no file for letter(s) ${late.id}) under UPLOADS_DIR=${uploadsDir}`);

    fs.renameSync(`${late.file}.moved`, late.file);
    const cli = await adminCli(env);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain('Letters: copied 1 file(s)');
    expect(cli.stdout).toContain('Every letter is now in the database: that folder can be deleted.');
    expect(cli.stderr).toBe('');

    const { db } = await openMigratedDatabase(file);
    try {
      const stored = await db.selectFrom('opinion_letter_contents').selectAll().orderBy('letter_id').execute();
      expect(stored).toEqual([
        { letter_id: early.id, content: LETTER_PDF },
        { letter_id: late.id, content: LETTER_PDF },
      ]);
    } finally {
      await db.destroy();
    }
    expect(fs.existsSync(early.file) && fs.existsSync(late.file)).toBe(true);
  });
});
