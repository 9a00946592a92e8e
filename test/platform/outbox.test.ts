// The outbox: mail is written in the transaction of the action that causes it, sent by the worker
// to a real SMTP server, retried with a growing pause while the server is down, and delivered
// exactly once when it comes back. Also the planners' outbox pages.
import request from 'supertest';
import { fill, mask, open, placeholder, seal, secretsKey } from '../../server/platform/mail/mail-secrets';
import { backoffMinutes } from '../../server/platform/mail/outbox-worker';
import { addUser, csrfFrom, logIn } from '../helpers/admin';
import { htmlProblems } from '../helpers/html';
import { invitedInstitution } from '../helpers/invitation';
import { scheduleMeeting, signUp } from '../helpers/meetings';
import { createTestSmtp, type TestSmtp } from '../helpers/smtp';
import { createTestApp, queueTestMail, type TestApp } from '../helpers/test-app';

let t: TestApp;
let smtp: TestSmtp;

beforeEach(async () => {
  // The mail server is down to begin with: nothing listens on its port.
  smtp = await createTestSmtp({ listening: false });
  t = await createTestApp({ smtpPort: smtp.port });
});

afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
  await smtp.stop();
});

const queue = (to: string, language = 'tr') => queueTestMail(t, to, { language, institution: 'Kurum <b>&</b>' });
const messages = () => t.db.selectFrom('outbox_messages').selectAll().orderBy('id').execute();
const attempts = () => t.db.selectFrom('outbox_attempts').selectAll().orderBy('id').execute();
const minutes = (n: number) => {
  t.clock.now = new Date(t.clock.now.getTime() + n * 60_000);
};

describe('the outbox worker', () => {
  it('waits while SMTP is down, records each attempt, and delivers each message exactly once when it is back', async () => {
    for (const to of ['a@example.org', 'b@example.org', 'c@example.org']) await queue(to);

    expect(await t.worker.runOnce()).toEqual({ sent: 0, failed: 3 });
    expect((await messages()).map((m) => [m.status, m.attempts])).toEqual([
      ['pending', 1],
      ['pending', 1],
      ['pending', 1],
    ]);
    expect((await attempts()).map((a) => a.ok)).toEqual([0, 0, 0]);
    expect((await messages())[0]!.last_error).toMatch(/ECONNREFUSED|connect/i);
    // Not due again until the pause is over.
    expect(await t.worker.runOnce()).toEqual({ sent: 0, failed: 0 });
    minutes(1);
    expect(await t.worker.runOnce()).toEqual({ sent: 0, failed: 3 });
    expect((await messages())[0]!.next_attempt_at).toBe(new Date(t.clock.now.getTime() + 2 * 60_000).toISOString());

    await smtp.start();
    expect(await t.worker.runOnce()).toEqual({ sent: 0, failed: 0 });
    minutes(2);
    expect(await t.worker.runOnce()).toEqual({ sent: 3, failed: 0 });
    expect(await t.worker.runOnce()).toEqual({ sent: 0, failed: 0 });
    minutes(120);
    expect(await t.worker.runOnce()).toEqual({ sent: 0, failed: 0 });

    expect(smtp.received.map((m) => (Array.isArray(m.to) ? m.to[0] : m.to)!.text).sort()).toEqual(['a@example.org', 'b@example.org', 'c@example.org']);
    const stored = await messages();
    expect(stored.every((m) => m.status === 'sent' && m.attempts === 3)).toBe(true);
    expect(new Set(smtp.received.map((m) => m.messageId))).toEqual(new Set(stored.map((m) => m.message_id)));
    expect((await attempts()).map((a) => a.ok)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1]);
  });

  it('sends each message once when runs overlap (a wake during a round)', async () => {
    await smtp.start();
    for (let i = 0; i < 5; i++) await queue(`k${i}@example.org`);
    await Promise.all([t.worker.runOnce(), t.worker.runOnce(), t.worker.runOnce()]);
    expect(smtp.received).toHaveLength(5);
  });

  it('backs off 1, 2, 4 … minutes, up to an hour', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map(backoffMinutes)).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60]);
  });

  it('keeps no mail of an action that failed: the mail is part of its transaction', async () => {
    await expect(
      t.db.transaction().execute(async (trx) => {
        await queueTestMail(t, 'x@example.org', { db: trx });
        throw new Error('the action failed');
      }),
    ).rejects.toThrow('the action failed');
    expect(await messages()).toEqual([]);
  });

  it("writes each mail in the recipient's language, with a plain-text part, escaping what people typed", async () => {
    await smtp.start();
    await queue('tr@example.org', 'tr');
    await queue('en@example.org', 'en');
    await t.worker.runOnce();
    const [tr, en] = [...smtp.received].sort((a, b) => (a.subject! < b.subject! ? -1 : 1)).reverse();
    expect(tr!.subject).toBe('E-posta adresinizi doğrulayın: Görüş formu');
    expect(en!.subject).toBe('Confirm your e-mail address: Görüş formu');
    expect(tr!.text).toContain('Sayın Kurum <b>&</b> yetkilisi,');
    expect(tr!.html).toContain('Sayın Kurum &lt;b&gt;&amp;&lt;/b&gt; yetkilisi,');
    expect(en!.text).toContain('Dear representative of Kurum <b>&</b>,');
    expect(tr!.html).toContain('<html lang="tr">');
    expect(en!.html).toContain('<html lang="en">');
  });
});

describe('/admin/outbox', () => {
  it('shows planners what waits and why, each attempt, both parts, never the personal link; retries on demand', async () => {
    await invitedInstitution(t, { mailed: false });
    await t.worker.runOnce();
    const planner = await logIn(t, await addUser(t, 'planner'));
    const list = await planner.get('/admin/outbox');
    expect(list.status).toBe(200);
    expect(list.text).toContain('Görüşünüzü rica ediyoruz');
    expect(list.text).toContain('oda@example.org');
    expect(list.text).toMatch(/ECONNREFUSED|connect/);
    // What the mail is and whom it is about, in words; the next attempt is still ahead.
    expect(list.text).toContain('Kurum daveti · Mimarlar Odası, kurum-gorus-formu anketi');
    expect(list.text).not.toMatch(/invitation:\d/);
    expect(list.text).toContain('Bekliyor; sonraki deneme');
    expect(await htmlProblems(list.text)).toEqual([]);
    const [message] = await messages();
    const detail = await planner.get(`/admin/outbox/${message!.id}`);
    expect(detail.text).toContain('gönderilemedi');
    expect(detail.text).toContain('<dd>Kurum daveti · Mimarlar Odası, kurum-gorus-formu anketi</dd>');
    expect(detail.text).toContain(`src="/admin/outbox/${message!.id}/html" sandbox`);
    // The link is sealed until it goes out: planners see where it would be, not what it is.
    expect(detail.text).toContain('[kişisel bağlantı: yalnızca alıcıya gider]');
    expect(detail.text).not.toContain('/gorus/');
    expect(message!.text_body).not.toMatch(/\/gorus\/[A-Za-z0-9_-]{22}/);
    expect(message!.secrets).toMatch(/^[A-Za-z0-9+/=]{40,}$/);
    expect(await htmlProblems(detail.text)).toEqual([]);
    const html = await planner.get(`/admin/outbox/${message!.id}/html`);
    expect(html.headers['content-security-policy']).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; sandbox");
    expect(html.headers['x-frame-options']).toBeUndefined();
    expect(html.text).toContain('Görüş formunu açın');
    expect(html.text).not.toContain('/gorus/');

    // Past its next-attempt time the mail is due: no date in the past, just "now".
    const before = t.clock.now;
    minutes(10);
    const due = await (await logIn(t, await addUser(t, 'planner'))).get('/admin/outbox');
    expect(due.text).toContain('Bekliyor; şimdi gönderilecek');
    expect(due.text).not.toContain('sonraki deneme');
    t.clock.now = before;
    // The server is back: "retry now" makes the waiting mail due, and it goes out once.
    await smtp.start();
    expect(await t.worker.runOnce()).toEqual({ sent: 0, failed: 0 });
    const retried = await planner.post('/admin/outbox/retry').type('form').send({ _csrf: csrfFrom(list.text) });
    expect(retried.status).toBe(303);
    await t.worker.runOnce();
    expect(smtp.received).toHaveLength(1);
    // The recipient gets the link in both parts; the outbox keeps no way to rebuild it.
    expect(smtp.received[0]!.text).toMatch(/https:\/\/katilim\.example\.org\/gorus\/[A-Za-z0-9_-]{22}/);
    expect(smtp.received[0]!.html).toMatch(/href="https:\/\/katilim\.example\.org\/gorus\/[A-Za-z0-9_-]{22}"/);
    expect((await messages())[0]!.secrets).toBeNull();
    expect((await planner.get('/admin/outbox?status=pending')).text).not.toContain('oda@example.org');
    const sent = (await (await logIn(t, await addUser(t, 'planner'))).get(`/admin/outbox/${message!.id}`)).text;
    expect(sent).toMatch(/<dd>Gönderildi: [^<]+<\/dd>/);
    expect(sent).not.toContain('sonraki deneme');
  });

  it('names a meeting mail by its kind, the person and the meeting', async () => {
    const id = await scheduleMeeting(t, { title_tr: 'Cami Mah. buluşması' });
    expect((await signUp(request.agent(t.app), id, { name: 'Ayşe <Yılmaz>', email: 'ayse@example.org' })).status).toBe(303);
    const planner = await logIn(t, await addUser(t, 'planner'));
    const list = (await planner.get('/admin/outbox')).text;
    expect(list).toContain('Buluşma kaydı onayı · Ayşe &lt;Yılmaz&gt;, Cami Mah. buluşması');
    expect(list).not.toContain('meeting_confirmed');
    expect(list).not.toMatch(/registration:\d/);
  });

  it('is for logged-in planners only', async () => {
    await invitedInstitution(t, { mailed: false });
    expect((await request(t.app).get('/admin/outbox')).status).toBe(303);
    expect((await request(t.app).get('/admin/outbox/1/html')).status).toBe(303);
    const viewer = await logIn(t, await addUser(t, 'viewer'));
    expect((await viewer.get('/admin/outbox')).status).toBe(403);
    expect((await viewer.get('/admin/outbox/1')).status).toBe(403);
    const planner = await logIn(t, await addUser(t, 'planner'));
    expect((await planner.get('/admin/outbox/999')).status).toBe(404);
    expect((await planner.get('/admin/outbox/abc')).status).toBe(404);
  });
});

describe('sealed mail secrets', () => {
  const key = secretsKey('s'.repeat(40));

  it('open only with the key that sealed them', () => {
    const sealed = seal(key, { link: 'https://katilim.example.org/gorus/abc' });
    expect(sealed).not.toContain('gorus');
    expect(open(key, sealed)).toEqual({ link: 'https://katilim.example.org/gorus/abc' });
    expect(() => open(secretsKey('t'.repeat(40)), sealed)).toThrow();
    expect(seal(key, { link: 'x' })).not.toBe(seal(key, { link: 'x' }));
  });

  it('fill placeholders for sending (escaped in HTML) and mask them for reading', () => {
    const html = `<a href="${placeholder('link')}">${placeholder('link')}</a>`;
    expect(fill(html, { link: 'https://x.example.org/?a=1&b="2"' }, true)).toBe('<a href="https://x.example.org/?a=1&#38;b=&#34;2&#34;">https://x.example.org/?a=1&#38;b=&#34;2&#34;</a>');
    expect(fill(placeholder('link'), { link: 'a&b' }, false)).toBe('a&b');
    expect(() => fill(placeholder('link'), {}, false)).toThrow();
    expect(mask(html, '[gizli]')).toBe('<a href="[gizli]">[gizli]</a>');
  });
});
