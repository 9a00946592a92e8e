// Letters kept in the database: the bytes a planner downloads are the bytes uploaded (up to the
// 5 MB limit), the row and its bytes are written in one transaction (a write that fails half-way
// leaves neither), and a data-subject erasure treats a letter as part of the answer it keeps.
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { MAX_LETTER_BYTES, storeLetter } from '../../server/opinions/opinion-letter';
import { dataSubjectService, subjectOf, dueOn } from '../../server/privacy';
import { addUser, csrfFrom, downloadBinary, logIn } from '../helpers/admin';
import { invitedInstitution } from '../helpers/invitation';
import { LETTER_PDF, makePdf } from '../helpers/letter-pdf';
import { completeSurvey, validSectionFields } from '../helpers/survey-walker';
import { createTestApp, TEST_SECRET, type TestApp } from '../helpers/test-app';

const SLUG = 'kurum-gorus-formu';
let t: TestApp;

beforeEach(async () => {
  t = await createTestApp();
});

afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

const survey = () => t.catalog.find(SLUG)!;
const rows = async () => ({
  letters: await t.db.selectFrom('opinion_letters').select(['id', 'file_name', 'size', 'response_id']).orderBy('id').execute(),
  contents: await t.db.selectFrom('opinion_letter_contents').selectAll().orderBy('letter_id').execute(),
});

async function upload(agent: TestAgent, link: string, content: Buffer, name: string) {
  const page = await agent.get(link);
  const token = /action="[^"]*\/yazi\?_csrf=([^"]+)"/.exec(page.text)![1]!;
  return agent.post(`${link}/yazi?_csrf=${token}`).attach('letter', content, { filename: name, contentType: 'application/pdf' });
}

describe('a letter near the size limit', () => {
  it('is stored whole and downloaded byte for byte; one byte over the limit is refused and stores nothing', async () => {
    const { link } = await invitedInstitution(t);
    const agent = request.agent(t.app);
    // Just under 5 MB, incompressible: what a scanned letter weighs.
    const big = await makePdf({ pages: 2, padBytes: MAX_LETTER_BYTES - 40_000 });
    expect(big.length).toBeLessThanOrEqual(MAX_LETTER_BYTES);
    expect(big.length).toBeGreaterThan(MAX_LETTER_BYTES - 40_000);
    expect((await upload(agent, link, big, 'taranmis.pdf')).status).toBe(303);
    const [letter] = (await rows()).letters;
    expect(letter).toMatchObject({ file_name: 'taranmis.pdf', size: big.length });

    const planner = await logIn(t, await addUser(t, 'planner'));
    const download = await downloadBinary(planner, `/admin/opinions/letters/${letter!.id}`);
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-length']).toBe(String(big.length));
    expect(Buffer.compare(download.body as Buffer, big)).toBe(0);

    const over = Buffer.concat([big, Buffer.alloc(MAX_LETTER_BYTES - big.length + 1, 0x20)]);
    expect((await upload(agent, link, over, 'buyuk.pdf')).status).toBe(413);
    expect((await rows()).letters).toHaveLength(1);
    expect((await rows()).contents.map((c) => c.letter_id)).toEqual([letter!.id]);
  });

  it('answers 404 for a letter that does not exist', async () => {
    const planner = await logIn(t, await addUser(t, 'planner'));
    expect((await planner.get('/admin/opinions/letters/999')).status).toBe(404);
  });
});

describe('storeLetter', () => {
  it('writes the row and its bytes in one transaction: when the bytes cannot be written, the row is not kept either', async () => {
    const { id } = await invitedInstitution(t);
    // The bytes' table out of the way: the row's insert succeeds, the bytes' insert then fails.
    await t.db.schema.alterTable('opinion_letter_contents').renameTo('opinion_letter_contents_away').execute();
    try {
      const failed = storeLetter(t.db, { secret: TEST_SECRET }, { invitationId: id, originalName: 'yazi.pdf', content: LETTER_PDF }, t.clock.now);
      await expect(failed).rejects.toMatchObject({ message: expect.stringContaining('opinion_letter_contents') });
    } finally {
      await t.db.schema.alterTable('opinion_letter_contents_away').renameTo('opinion_letter_contents').execute();
    }
    expect(await rows()).toEqual({ letters: [], contents: [] });

    // The same upload once the table is back: row and bytes together.
    const stored = await storeLetter(t.db, { secret: TEST_SECRET }, { invitationId: id, originalName: 'yazi.pdf', content: LETTER_PDF }, t.clock.now);
    expect(stored.kind).toBe('stored');
    const after = await rows();
    expect(after.letters).toHaveLength(1);
    expect(after.contents).toEqual([{ letter_id: after.letters[0]!.id, content: LETTER_PDF }]);
  });
});

describe('erasing an institution\'s personal data', () => {
  it('blanks its address and keeps its answer, and with it the letter (row and bytes), still downloadable', async () => {
    const { link } = await invitedInstitution(t);
    const agent = request.agent(t.app);
    expect((await upload(agent, link, LETTER_PDF, 'resmi-yazi.pdf')).status).toBe(303);
    await completeSurvey(agent, survey(), (i) => validSectionFields(survey(), i), link);
    const before = await rows();
    expect(before.letters[0]!.response_id).not.toBeNull();

    const { subject } = subjectOf({ email: 'oda@example.org' });
    const requestId = await dataSubjectService.createRequest(
      t.db,
      { kind: 'erasure', subjectEmail: subject.email, subjectPhone: subject.phone, requesterName: 'Oda Sekreteri', channel: 'email', receivedOn: '2026-11-20', dueOn: dueOn('2026-11-20'), notes: null },
      { userId: null, email: 'test', ip: null },
      t.clock.now,
    );
    const planner = await logIn(t, await addUser(t, 'planner'));
    const confirm = await planner.get(`/admin/privacy/requests/${requestId}/erase`);
    expect(confirm.status).toBe(200);
    const erased = await planner.post(`/admin/privacy/requests/${requestId}/erase`).type('form').send({ _csrf: csrfFrom(confirm.text), confirm: 'yes' });
    expect(erased.status).toBe(303);

    expect((await t.db.selectFrom('invitations').select('email').executeTakeFirstOrThrow()).email).toBe('');
    expect(await rows()).toEqual(before);
    const download = await downloadBinary(planner, `/admin/opinions/letters/${before.letters[0]!.id}`);
    expect(download.status).toBe(200);
    expect(download.body).toEqual(LETTER_PDF);
  });
});
