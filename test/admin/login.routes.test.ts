// Sign-in as seen from outside: failures refused per address while the owner gets in from another
// (two client addresses through TRUST_PROXY and X-Forwarded-For), the owner's e-mail over real
// SMTP, and a sign-in that cannot set its cookie behind an https proxy without TRUST_PROXY.
import request from 'supertest';
import { THROTTLE } from '../../server/admin/login-throttle';
import { loadConfig } from '../../server/config';
import { addUser, csrfFrom, type TestUser } from '../helpers/admin';
import { createTestSmtp, type TestSmtp } from '../helpers/smtp';
import { createTestApp, type TestApp } from '../helpers/test-app';

const MINUTE = 60_000;
const ATTACKER = '203.0.113.66';
const OWNER = '192.0.2.10';

/** A browser at one client address, as the proxy in front of the site reports it. */
function browserAt(t: TestApp, ip: string) {
  const agent = request.agent(t.app);
  return {
    agent,
    async signIn(email: string, password: string) {
      const page = await agent.get('/admin/login').set('X-Forwarded-For', ip);
      return agent.post('/admin/login').set('X-Forwarded-For', ip).type('form').send({ _csrf: csrfFrom(page.text), email, password });
    },
  };
}

describe('failed sign-ins behind a proxy (TRUST_PROXY=1), from two client addresses', () => {
  let t: TestApp;
  let smtp: TestSmtp;
  let user: TestUser;
  beforeEach(async () => {
    smtp = await createTestSmtp();
    t = await createTestApp({ trustProxy: loadConfig({ TRUST_PROXY: '1' }).trustProxy, smtpPort: smtp.port });
    user = await addUser(t, 'planner', 'Ayşe Yılmaz');
  });
  afterEach(async () => {
    expect(t.logged).toEqual([]);
    await t.close();
    await smtp.stop();
  });

  it('slows and then refuses the guessing address, while the owner signs in from another at the same moment', async () => {
    const attacker = browserAt(t, ATTACKER);
    const answers: number[] = [];
    for (let i = 0; i < THROTTLE.lockPairAfter; i++) answers.push((await attacker.signIn(user.email, `yanlış-${i}`)).status);
    expect(answers).toEqual([401, 401, 401, 401, 429]);
    expect(t.delays).toEqual([0, 0, 0, 1000, 2000]);

    const owner = browserAt(t, OWNER);
    const [guess, ownerLogin] = await Promise.all([attacker.signIn(user.email, user.password), owner.signIn(user.email, user.password)]);
    expect(guess.status).toBe(429);
    expect(guess.text).toContain('Bu adresten çok fazla hatalı deneme yapıldı');
    expect(ownerLogin.status).toBe(303);
    expect((ownerLogin.headers['set-cookie'] as unknown as string[]).some((c) => c.startsWith('pd_sid='))).toBe(true);
    // The owner waited for nothing: the only delay added is the owner's own 0.
    expect(t.delays).toEqual([0, 0, 0, 1000, 2000, 0]);
    expect((await owner.agent.get('/admin/surveys').set('X-Forwarded-For', OWNER)).status).toBe(200);

    const audit = await t.db.selectFrom('audit_events').select(['action', 'ip']).where('action', 'in', ['login.succeeded', 'login.failed', 'login.locked', 'login.no_session']).orderBy('id').execute();
    expect(audit).toEqual([
      ...Array.from({ length: THROTTLE.lockPairAfter }, () => ({ action: 'login.failed', ip: ATTACKER })),
      { action: 'login.locked', ip: ATTACKER },
      { action: 'login.succeeded', ip: OWNER },
    ]);
  });

  it('refuses an address that fails across many accounts on every account, and no other address', async () => {
    const attacker = browserAt(t, ATTACKER);
    for (let i = 0; i < THROTTLE.lockAddressAfter - 1; i++) expect((await attacker.signIn(`kisi${i}@example.org`, 'yanlış parola!')).status).toBe(401);
    expect((await attacker.signIn('son@example.org', 'yanlış parola!')).status).toBe(429);
    expect((await attacker.signIn(user.email, user.password)).status).toBe(429);
    expect((await browserAt(t, OWNER).signIn(user.email, user.password)).status).toBe(303);
  });

  it('e-mails the owner once a window, with how many and when, and the guessing network cut short', async () => {
    const attacker = browserAt(t, ATTACKER);
    for (let i = 0; i < THROTTLE.notifyOwnerAfter; i++) await attacker.signIn(user.email, `yanlış-${i}`);
    await t.worker.runOnce();
    await smtp.waitForMessages(1);
    const [mail] = smtp.received;
    expect(mail!.to).toMatchObject({ text: user.email });
    expect(mail!.subject).toBe('Hesabınıza hatalı giriş denemeleri');
    expect(mail!.text).toContain('Sayın Ayşe Yılmaz,');
    expect(mail!.text).toContain(`${THROTTLE.notifyOwnerAfter} hatalı giriş denemesi yapıldı`);
    expect(mail!.text).toContain('21.11.2026 10:00');
    expect(mail!.text).toContain('203.0.113.x');
    expect(`${mail!.text}${mail!.html}`).not.toContain(ATTACKER);
    expect(`${mail!.text}${mail!.html}`).not.toContain('yanlış-');

    // More failures in the same window, from elsewhere too: no second mail.
    for (let i = 0; i < 3; i++) await browserAt(t, `198.51.100.${i}`).signIn(user.email, 'yanlış parola!');
    await t.worker.runOnce();
    expect(smtp.received).toHaveLength(1);

    // The next window's failures are worth a mail of their own.
    t.clock.now = new Date(t.clock.now.getTime() + (THROTTLE.windowMinutes + 1) * MINUTE);
    for (let i = 0; i < THROTTLE.notifyOwnerAfter; i++) await browserAt(t, `198.51.100.${10 + i}`).signIn(user.email, 'yanlış parola!');
    await t.worker.runOnce();
    await smtp.waitForMessages(2);
    expect(smtp.received).toHaveLength(2);
    expect(smtp.received[1]!.text).toContain('198.51.100.x');
  });
});

describe('an https site behind a proxy without TRUST_PROXY', () => {
  let t: TestApp;
  let user: TestUser;
  beforeEach(async () => {
    // BASE_URL https makes cookies Secure; without TRUST_PROXY every request looks like http.
    t = await createTestApp({ https: true, trustProxy: loadConfig({ BASE_URL: 'https://katilim.example.org' }).trustProxy });
    user = await addUser(t, 'planner');
  });
  afterEach(async () => {
    expect(t.logged).toEqual([]);
    await t.close();
  });

  const signIn = async (password: string, language = 'tr') => {
    const page = await request(t.app).get('/admin/login').set('Accept-Language', language).set('X-Forwarded-Proto', 'https');
    const cookies = (page.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
    return request(t.app)
      .post('/admin/login')
      .set('Accept-Language', language)
      .set('X-Forwarded-Proto', 'https')
      .set('Cookie', cookies)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: user.email, password });
  };

  it('does not report a right password as a login: it names TRUST_PROXY on the page and sets no session', async () => {
    const answer = await signIn(user.password);
    expect(answer.status).toBe(503);
    expect(answer.headers.location).toBeUndefined();
    expect(((answer.headers['set-cookie'] as unknown as string[] | undefined) ?? []).filter((c) => c.includes('pd_sid'))).toEqual([]);
    expect(answer.text).toContain('Parola doğru, ancak oturum açılamadı');
    expect(answer.text).toContain('TRUST_PROXY');
    expect(answer.text).toContain(`value="${user.email}"`);

    const english = await signIn(user.password, 'en');
    expect(english.text).toContain('The password is right, but no session could be started');
    expect(english.text).toContain('TRUST_PROXY');
  });

  it('records login.no_session instead of login.succeeded, and a wrong password as before', async () => {
    await signIn(user.password);
    const wrong = await signIn('yanlış parola!');
    expect(wrong.status).toBe(401);
    expect(wrong.text).not.toContain('TRUST_PROXY');
    const actions = await t.db.selectFrom('audit_events').select('action').where('action', 'in', ['login.succeeded', 'login.failed', 'login.locked', 'login.no_session']).orderBy('id').execute();
    expect(actions.map((a) => a.action)).toEqual(['login.no_session', 'login.failed']);
  });
});
