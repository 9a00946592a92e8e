// A full disk, for real: the database on a 4 MB tmpfs filled to the last block by a filler file
// (SQLite then fails the commit with SQLITE_FULL and rolls the transaction back by itself, so
// Kysely's ROLLBACK used to fail with "cannot rollback" and hide the cause behind a 500), and the
// same through PRAGMA max_page_count (the file may not grow). Either way: the person gets the
// same form back (503, Retry-After) with what they typed, the log names SQLITE_FULL, nothing is
// half-written, /healthz says disk_full, and once there is room the very same form goes through.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { storageFailureLine } from '../../server/platform/http/error-handler';
import { answerSection, encodeForm, hiddenFields, type Fields } from '../helpers/forms';
import { invitedInstitution } from '../helpers/invitation';
import { scheduleMeeting, signUpFields } from '../helpers/meetings';
import { validSectionFields } from '../helpers/survey-walker';
import { createTestApp, tempDir, type TestApp } from '../helpers/test-app';

jest.setTimeout(60_000);

/** Mounts a small tmpfs for the database, where the machine allows it (root, mount permitted). */
function mountTmpfs(): { dir: string } | { reason: string } {
  if (process.platform !== 'linux') return { reason: `tmpfs needs Linux, this is ${process.platform}` };
  if (process.getuid?.() !== 0) return { reason: 'mounting a tmpfs needs root' };
  const dir = tempDir('paydas-tmpfs-');
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', dir], { encoding: 'utf8' });
  if (mounted.status !== 0) {
    fs.rmdirSync(dir);
    return { reason: `mount -t tmpfs failed: ${(mounted.stderr || mounted.error?.message || `exit ${mounted.status}`).trim()}` };
  }
  return { dir };
}

const tmpfs = mountTmpfs();
if ('reason' in tmpfs) console.warn(`full-disk.test: the real-filesystem case is skipped (${tmpfs.reason}); the max_page_count case still runs.`);

let t: TestApp | undefined;

afterEach(async () => {
  await t?.close();
  t = undefined;
});

afterAll(() => {
  if ('dir' in tmpfs) {
    spawnSync('umount', [tmpfs.dir]);
    fs.rmSync(tmpfs.dir, { recursive: true, force: true });
  }
});

const SLUG = 'vatandas-anketi';
/** Long answers with markup in them: the page they come back on must show them as text. */
const TYPED = {
  iyilestirilmesi_gereken: `Kaldırımlar <b>dar</b> & bozuk; ${'otobüs durakları gölgesiz. '.repeat(30)}`.slice(0, 950).trim(),
  bes_yillik_beklenti: `Çocuk parkları "güvenli" olsun. ${'Yeşil alan artsın. '.repeat(45)}`.slice(0, 950).trim(),
  proje_fikri: `Dere kenarına bisiklet yolu <script>x</script> ${'ve yürüyüş parkuru. '.repeat(45)}`.slice(0, 950).trim(),
};
const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;');

async function counts(app: TestApp) {
  const n = async (table: 'responses' | 'answers') => Number((await app.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const complete = Number(
    (await app.db.selectFrom('responses').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'complete').executeTakeFirstOrThrow()).n,
  );
  return { responses: await n('responses'), answers: await n('answers'), complete };
}

async function upToLastSection(app: TestApp, agent: TestAgent): Promise<{ url: string; fields: Fields }> {
  const survey = app.catalog.find(SLUG)!;
  for (let index = 0; index < survey.sections.length - 1; index++) {
    expect((await answerSection(agent, `/anket/${SLUG}/${index + 1}`, validSectionFields(survey, index))).response.status).toBe(303);
  }
  const last = survey.sections.length - 1;
  return { url: `/anket/${SLUG}/${last + 1}`, fields: { ...validSectionFields(survey, last), ...TYPED } };
}

/**
 * The whole story on one app: the last section is posted while the disk is full, comes back with
 * what was typed, and goes through, from the page that came back, once there is room.
 */
async function fullDiskStory(app: TestApp, disk: { fill(): void; free(): void }, language: 'tr' | 'en') {
  const agent = request.agent(app.app);
  if (language === 'en') await agent.get('/?lang=en');
  const { url, fields } = await upToLastSection(app, agent);
  const before = await counts(app);

  disk.fill();
  const refused = (await answerSection(agent, url, fields)).response;
  expect(refused.status).toBe(503);
  expect(refused.headers['retry-after']).toBe('30');
  expect(refused.text).toContain(language === 'tr' ? 'Şu anda kaydedilemiyor: yanıtlarınız kaydedilemedi; birkaç dakika sonra yeniden gönderin' : 'your answers were not saved; please send them again in a few minutes');
  // The same form, with what was typed, escaped, ready to be sent again.
  expect(refused.text).toContain(`action="${url}"`);
  for (const text of Object.values(TYPED)) expect(refused.text).toContain(escaped(text));
  expect(refused.text).not.toContain('<script>x</script>');
  expect(refused.text).not.toMatch(/SQLITE|cannot rollback|at .*\.ts:/);

  // The operator's log names the cause, not the failed rollback after it.
  expect(app.logged.length).toBeGreaterThan(0);
  for (const error of app.logged) {
    expect(error).toMatchObject({ code: 'SQLITE_FULL' });
    expect(String((error as Error).message)).not.toContain('cannot rollback');
  }
  expect(storageFailureLine(app.logged[0])).toBe('Storage unavailable, answered 503: SQLITE_FULL: database or disk is full');
  app.logged.length = 0;

  // Nothing half-written: the draft is as it was, no answer of the refused post stored.
  expect(await counts(app)).toEqual(before);
  const stored = await app.db.selectFrom('answers').select('id').where('question_id', '=', 'proje_fikri').execute();
  expect(stored).toEqual([]);

  const health = await request(app.app).get('/healthz');
  expect(health.status).toBe(503);
  expect(health.body).toMatchObject({ status: 'down', disk: { full: true, low: true } });
  expect(health.body.reasons).toContain('disk_full');

  disk.free();
  // The page that came back, sent again as it is: it completes the response.
  const again = await agent
    .post(url)
    .type('form')
    .send(encodeForm({ ...hiddenFields(refused.text), _nav: 'next', ...fields }));
  expect(again.status).toBe(303);
  expect(again.headers.location).toBe(`/anket/${SLUG}/tesekkurler`);
  const after = await counts(app);
  expect(after.complete).toBe(before.complete + 1);
  const idea = await app.db.selectFrom('answers').select('text').where('question_id', '=', 'proje_fikri').executeTakeFirstOrThrow();
  expect(idea.text).toBe(TYPED.proje_fikri);
  expect(app.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');

  const healthy = await request(app.app).get('/healthz');
  expect(healthy.body.disk.full).toBe(false);
  expect(healthy.body.reasons).not.toContain('disk_full');
  expect(app.logged).toEqual([]);
}

describe('a full disk', () => {
  const onTmpfs = 'dir' in tmpfs ? it : it.skip;
  onTmpfs('on a real 4 MB file system filled to the last block: 503 with the typed answers kept, SQLITE_FULL logged, disk_full reported, then accepted', async () => {
    const dir = (tmpfs as { dir: string }).dir;
    t = await createTestApp({ databaseFile: path.join(dir, 'paydas.sqlite') });
    const app = t;
    const filler = path.join(dir, 'filler');
    await fullDiskStory(
      app,
      {
        fill() {
          // An empty WAL: the next commit needs new blocks, it cannot reuse old frames.
          app.sqlite.pragma('wal_checkpoint(TRUNCATE)');
          const fd = fs.openSync(filler, 'w');
          try {
            for (const size of [256 * 1024, 4096, 512]) {
              try {
                for (;;) fs.writeSync(fd, Buffer.alloc(size));
              } catch (error) {
                if ((error as { code?: string }).code !== 'ENOSPC') throw error;
              }
            }
          } finally {
            fs.closeSync(fd);
          }
          expect(fs.statfsSync(dir).bavail).toBe(0);
        },
        free: () => fs.rmSync(filler),
      },
      'tr',
    );
    // The tmpfs is small: below DISK_LOW_MB (200) it stays a warning once there is room again.
    expect((await request(app.app).get('/healthz')).body).toMatchObject({ status: 'degraded', reasons: ['low_disk'], disk: { full: false, low: true } });
  });

  it('by PRAGMA max_page_count (the file may not grow): the same, in English', async () => {
    t = await createTestApp({ databaseFile: path.join(tempDir('paydas-full-'), 'paydas.sqlite') });
    const app = t;
    await fullDiskStory(
      app,
      {
        fill() {
          // No free page to reuse, and no room for a new one.
          if ((app.sqlite.pragma('freelist_count', { simple: true }) as number) > 0) app.sqlite.exec('vacuum');
          app.sqlite.pragma(`max_page_count = ${app.sqlite.pragma('page_count', { simple: true }) as number}`);
        },
        free: () => app.sqlite.pragma('max_page_count = 1073741823'),
      },
      'en',
    );
  });
});

describe('other forms refused by the storage keep what was typed', () => {
  it('the meeting sign-up and an institution\'s opinion-form section come back (503) filled in, and go through once writable', async () => {
    t = await createTestApp();
    const app = t;
    const meeting = await scheduleMeeting(app);
    const { link } = await invitedInstitution(app);
    const resident = { name: 'Ayşe <Yılmaz>', phone: '0532 111 22 33', email: '', mahalle: 'ataturk', accessibility_need: 'Tekerlekli sandalye & rampa', accessibility_consent: '1' };
    const signUpAgent = request.agent(app.app);
    const signUpPage = await signUpAgent.get(`/bulusmalar/${meeting}`);
    const opinion = app.catalog.find('kurum-gorus-formu')!;
    const opinionAgent = request.agent(app.app);
    const opinionFields = { ...validSectionFields(opinion, 0), formu_dolduran_birim: 'Planlama "Birimi" <Ankara>' };
    const opinionPage = await opinionAgent.get(`${link}/1`);
    expect(opinionPage.status).toBe(200);

    app.sqlite.pragma('query_only = 1');
    const refusedSignUp = await signUpAgent.post(`/bulusmalar/${meeting}`).type('form').send({ ...signUpFields(signUpPage.text), ...resident });
    expect(refusedSignUp.status).toBe(503);
    expect(refusedSignUp.headers['retry-after']).toBe('30');
    expect(refusedSignUp.text).toContain('yanıtlarınız kaydedilemedi; birkaç dakika sonra yeniden gönderin');
    expect(refusedSignUp.text).toContain('value="Ayşe &lt;Yılmaz&gt;"');
    expect(refusedSignUp.text).toContain('Tekerlekli sandalye &amp; rampa</textarea>');
    const refusedOpinion = await opinionAgent
      .post(`${link}/1`)
      .type('form')
      .send(encodeForm({ ...hiddenFields(opinionPage.text), _nav: 'next', ...opinionFields }));
    expect(refusedOpinion.status).toBe(503);
    expect(refusedOpinion.text).toContain('yanıtlarınız kaydedilemedi');
    expect(refusedOpinion.text).toContain('value="Planlama &#34;Birimi&#34; &lt;Ankara&gt;"');
    expect(app.logged.map((error) => (error as { code?: string }).code)).toEqual(['SQLITE_READONLY', 'SQLITE_READONLY']);
    app.logged.length = 0;
    expect(await app.db.selectFrom('meeting_registrations').select('id').execute()).toEqual([]);

    app.sqlite.pragma('query_only = 0');
    const signedUp = await signUpAgent.post(`/bulusmalar/${meeting}`).type('form').send({ ...signUpFields(refusedSignUp.text), ...resident });
    expect(signedUp.status).toBe(303);
    const saved = await opinionAgent
      .post(`${link}/1`)
      .type('form')
      .send(encodeForm({ ...hiddenFields(refusedOpinion.text), _nav: 'next', ...opinionFields }));
    expect(saved.status).toBe(303);
    expect(await app.db.selectFrom('meeting_registrations').select('name').execute()).toEqual([{ name: 'Ayşe <Yılmaz>' }]);
    expect(app.logged).toEqual([]);
  });
});
