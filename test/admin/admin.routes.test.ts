import request from 'supertest';
import { accountService } from '../../server/admin';
import { addUser, csrfFrom, logIn, postForm, type TestUser } from '../helpers/admin';
import { htmlProblems } from '../helpers/html';
import { createTestApp, TEST_SECRET, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

interface Route {
  method: 'get' | 'post';
  path: string;
}

/** Every route the app registers, with its full path, found by walking Express's router stacks. */
function registeredRoutes(): Route[] {
  const found: Route[] = [];
  const walk = (stack: any[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) found.push({ method: method as Route['method'], path: prefix + layer.route.path });
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack, prefix + (layer.rawPath && layer.rawPath !== '/' ? layer.rawPath : ''));
      }
    }
  };
  walk((t.app as any).router.stack, '');
  return found;
}

const PUBLIC_ADMIN = ['/admin/login', '/admin/setup'];
const sample = (path: string) =>
  path
    .replace(':slug', 'vatandas-anketi')
    .replace(':channel', 'paper')
    .replace(':section', '1')
    .replace(':id', '1');

describe('access to the back office', () => {
  it('has many /admin routes, each of which redirects to the login page without a session', async () => {
    const routes = registeredRoutes().filter((route) => route.path.startsWith('/admin') && !PUBLIC_ADMIN.includes(route.path));
    expect(routes.length).toBeGreaterThan(25);
    const agent = request.agent(t.app);
    const token = csrfFrom((await agent.get('/admin/login')).text);
    for (const route of routes) {
      const url = sample(route.path);
      const response = route.method === 'get' ? await agent.get(url) : await agent.post(url).type('form').send({ _csrf: token });
      expect({ route: `${route.method} ${route.path}`, status: response.status, location: response.headers.location?.split('?')[0] }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 303,
        location: '/admin/login',
      });
    }
  });

  it('answers viewers with 403 on every state-changing route', async () => {
    const viewer = await addUser(t, 'viewer');
    const agent = await logIn(t, viewer);
    const token = csrfFrom((await agent.get('/admin/surveys/vatandas-anketi')).text);
    const posts = registeredRoutes().filter((route) => route.method === 'post' && route.path.startsWith('/admin') && !['/admin/logout', ...PUBLIC_ADMIN].includes(route.path));
    expect(posts.length).toBeGreaterThan(12);
    for (const route of posts) {
      const response = await agent.post(sample(route.path)).type('form').send({ _csrf: token });
      expect({ route: route.path, status: response.status }).toEqual({ route: route.path, status: 403 });
    }
    const users = await agent.get('/admin/users');
    expect(users.status).toBe(403);
    expect(users.text).toContain('Bu işlem için yetkiniz yok');
    expect((await agent.get('/admin/surveys')).status).toBe(200);
  });

  it('refuses a back-office form without its CSRF token, or with another session\'s', async () => {
    const admin = await addUser(t, 'admin');
    const agent = await logIn(t, admin);
    const without = await agent.post('/admin/users').type('form').send({ email: 'x@example.org', name: 'X', role: 'viewer', password: 'bir-parola-123' });
    expect(without.status).toBe(403);
    const other = await logIn(t, admin);
    const foreign = csrfFrom((await other.get('/admin/users')).text);
    const crossed = await agent.post('/admin/users').type('form').send({ _csrf: foreign, email: 'x@example.org', name: 'X', role: 'viewer', password: 'bir-parola-123' });
    expect(crossed.status).toBe(403);
    expect(await t.db.selectFrom('users').select('email').where('email', '=', 'x@example.org').execute()).toEqual([]);
  });
});

describe('logging in', () => {
  let user: TestUser;
  beforeEach(async () => {
    user = await addUser(t, 'planner', 'Ayşe Planlamacı');
  });

  it('sets an HttpOnly, SameSite=Lax session cookie, rotates the session id at login and goes where it was asked', async () => {
    const agent = request.agent(t.app);
    const first = await agent.get('/admin/surveys/vatandas-anketi/responses');
    expect(first.headers.location).toBe('/admin/login?next=%2Fadmin%2Fsurveys%2Fvatandas-anketi%2Fresponses');
    const page = await agent.get(first.headers.location!);
    expect(await htmlProblems(page.text)).toEqual([]);
    const login = await agent
      .post('/admin/login')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: user.email, password: user.password, next: '/admin/surveys/vatandas-anketi/responses' });
    expect(login.status).toBe(303);
    expect(login.headers.location).toBe('/admin/surveys/vatandas-anketi/responses');
    const cookie = (login.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('pd_sid='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
  });

  it('never follows a "next" address off the back office', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/admin/login');
    const login = await agent.post('/admin/login').type('form').send({ _csrf: csrfFrom(page.text), email: user.email, password: user.password, next: '//evil.example/admin' });
    expect(login.headers.location).toBe('/admin/surveys');
  });

  it('gives a new session id at login, and the one used before stops working', async () => {
    const agent = await logIn(t, user);
    const sid = () => agent.jar.getCookie('pd_sid', { domain: '127.0.0.1', path: '/', secure: false, script: false })!.value;
    const before = sid();
    const relogin = await postForm(agent, '/admin/surveys', '/admin/login', { email: user.email, password: user.password });
    expect(relogin.status).toBe(303);
    expect(sid()).not.toBe(before);
    expect((await agent.get('/admin/surveys')).status).toBe(200);
    const stale = await request(t.app).get('/admin/surveys').set('Cookie', `pd_sid=${before}`);
    expect(stale.status).toBe(303);
  });

  it('says plainly when the e-mail or password is wrong, keeping the e-mail', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/admin/login?lang=en');
    const wrong = await agent.post('/admin/login').type('form').send({ _csrf: csrfFrom(page.text), email: user.email, password: 'yanlış-parola' });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('The e-mail address or the password is wrong.');
    expect(wrong.text).toContain(`value="${user.email}"`);
  });

  it('slows down and then locks repeated failures with a clear message', async () => {
    const agent = request.agent(t.app);
    let last = await agent.get('/admin/login');
    for (let i = 0; i < 5; i++) {
      last = await agent.post('/admin/login').type('form').send({ _csrf: csrfFrom(last.text), email: user.email, password: `yanlış-${i}` });
    }
    expect(last.status).toBe(429);
    expect(last.text).toContain('Bu adresten çok fazla hatalı deneme yapıldı. Güvenliğiniz için bu adresten giriş 15 dakika kapalı');
    expect(t.delays).toEqual([0, 0, 0, 1000, 2000]);
    const right = await agent.post('/admin/login').type('form').send({ _csrf: csrfFrom(last.text), email: user.email, password: user.password });
    expect(right.status).toBe(429);
  });

  it('ends the session after two idle hours, and at logout', async () => {
    const agent = await logIn(t, user);
    t.clock.now = new Date(t.clock.now.getTime() + 119 * 60_000);
    expect((await agent.get('/admin/surveys')).status).toBe(200);
    t.clock.now = new Date(t.clock.now.getTime() + 119 * 60_000);
    expect((await agent.get('/admin/surveys')).status).toBe(200);
    t.clock.now = new Date(t.clock.now.getTime() + 121 * 60_000);
    expect((await agent.get('/admin/surveys')).headers.location).toMatch(/^\/admin\/login/);

    const again = await logIn(t, user);
    const logout = await postForm(again, '/admin/surveys', '/admin/logout');
    expect(logout.headers.location).toBe('/admin/login');
    expect((await again.get('/admin/surveys')).status).toBe(303);
  });
});

describe('first set-up through the console link', () => {
  it('creates the first admin once; the link then says it was used', async () => {
    const token = (await accountService.prepareSetup(t.db, t.clock.now, TEST_SECRET))!;
    const agent = request.agent(t.app);
    const page = await agent.get(`/admin/setup?token=${token}`);
    expect(page.status).toBe(200);
    const mismatch = await agent.post('/admin/setup').type('form').send({
      _csrf: csrfFrom(page.text),
      token,
      email: 'yonetici@example.org',
      name: 'Yönetici',
      password: 'kurulum-parolasi-1',
      password_again: 'baska-parola-22',
    });
    expect(mismatch.status).toBe(422);
    expect(mismatch.text).toContain('Parolalar birbirini tutmuyor.');
    const done = await agent.post('/admin/setup').type('form').send({
      _csrf: csrfFrom(page.text),
      token,
      email: 'yonetici@example.org',
      name: 'Yönetici',
      password: 'kurulum-parolasi-1',
      password_again: 'kurulum-parolasi-1',
    });
    expect(done.headers.location).toBe('/admin/login');
    expect((await agent.get('/admin/login')).text).toContain('Yönetici hesabı oluşturuldu.');
    const reused = await agent.get(`/admin/setup?token=${token}`);
    expect(reused.status).toBe(410);
    expect(reused.text).toContain('Kurulum bağlantısı geçersiz');
    // The account it made signs in and is an administrator: the users' page is theirs to see.
    const admin = await logIn(t, { email: 'yonetici@example.org', password: 'kurulum-parolasi-1' });
    const users = await admin.get('/admin/users');
    expect(users.status).toBe(200);
    expect(users.text).toContain('yonetici@example.org');
    expect(await t.db.selectFrom('users').select(['name', 'role']).where('email', '=', 'yonetici@example.org').executeTakeFirst()).toEqual({ name: 'Yönetici', role: 'admin' });
  });
});

describe('user management', () => {
  it('lets an admin create users, change roles, reset passwords and disable them', async () => {
    const admin = await addUser(t, 'admin');
    const agent = await logIn(t, admin);
    const created = await postForm(agent, '/admin/users', '/admin/users', { email: 'Yeni.Kisi@example.org', name: 'Yeni Kişi', role: 'viewer', password: 'yeni-kisi-parolasi' });
    expect(created.status).toBe(303);
    const list = await agent.get('/admin/users');
    expect(list.text).toContain('yeni.kisi@example.org için hesap oluşturuldu.');
    expect(await htmlProblems(list.text)).toEqual([]);
    const duplicate = await postForm(agent, '/admin/users', '/admin/users', { email: 'yeni.kisi@example.org', name: 'Y', role: 'viewer', password: 'yeni-kisi-parolasi' });
    expect(duplicate.status).toBe(422);
    expect(duplicate.text).toContain('Bu e-posta adresiyle bir hesap zaten var.');
    const short = await postForm(agent, '/admin/users', '/admin/users', { email: 'kisa@example.org', name: 'K', role: 'viewer', password: 'kisa' });
    expect(short.status).toBe(422);
    expect(short.text).toContain('Parola en az 10 karakter olmalı.');

    const person = (await t.db.selectFrom('users').select('id').where('email', '=', 'yeni.kisi@example.org').executeTakeFirstOrThrow()).id;
    const personAgent = await logIn(t, { email: 'yeni.kisi@example.org', password: 'yeni-kisi-parolasi' });
    await postForm(agent, `/admin/users/${person}`, `/admin/users/${person}/role`, { role: 'planner' });
    await postForm(agent, `/admin/users/${person}`, `/admin/users/${person}/password`, { password: 'ikinci-parola-xyz' });
    await postForm(agent, `/admin/users/${person}`, `/admin/users/${person}/disable`);
    expect(await t.db.selectFrom('users').select(['role', 'disabled_at']).where('id', '=', person).executeTakeFirst()).toEqual({
      role: 'planner',
      disabled_at: t.clock.now.toISOString(),
    });
    // Disabling ends the person's session at once.
    expect((await personAgent.get('/admin/surveys')).status).toBe(303);
    const actions = (await t.db.selectFrom('audit_events').select('action').where('target', '=', 'yeni.kisi@example.org').execute()).map((e) => e.action);
    expect(actions).toEqual(['user.created', 'user.role_changed', 'user.password_reset', 'user.disabled']);
  });

  it('will not demote the last admin', async () => {
    const admin = await addUser(t, 'admin');
    const agent = await logIn(t, admin);
    await postForm(agent, `/admin/users/${admin.id}`, `/admin/users/${admin.id}/role`, { role: 'viewer' });
    const page = await agent.get(`/admin/users/${admin.id}`);
    expect(page.text).toContain('Son etkin yönetici devre dışı bırakılamaz');
    expect((await t.db.selectFrom('users').select('role').where('id', '=', admin.id).executeTakeFirst())?.role).toBe('admin');
  });
});

describe('audit log', () => {
  it('records logins and failures with address, and admins can filter it', async () => {
    const admin = await addUser(t, 'admin');
    const agent = await logIn(t, admin);
    const stranger = request.agent(t.app);
    const page = await stranger.get('/admin/login');
    await stranger.post('/admin/login').type('form').send({ _csrf: csrfFrom(page.text), email: 'kotu@example.org', password: 'deneme-123' });
    const all = await agent.get('/admin/audit');
    expect(all.status).toBe(200);
    expect(all.text).toContain('Hatalı giriş denemesi');
    expect(all.text).toContain('kotu@example.org');
    expect(await htmlProblems(all.text)).toEqual([]);
    const failures = await agent.get('/admin/audit?action=login.failed');
    expect(failures.text).toContain('kotu@example.org');
    expect(failures.text).not.toContain('<td>Giriş</td>');
    // Each entry reads as a sentence with its address in plain form, never as JSON.
    expect(all.text).toContain('kotu@example.org adresiyle hatalı giriş denendi');
    expect(all.text).toMatch(/<td>127\.0\.0\.1<\/td>/);
    expect(all.text).not.toContain('::ffff:');
    expect(all.text).not.toMatch(/\{&#34;|\{&quot;|\{"/);
    const planner = await logIn(t, await addUser(t, 'planner'));
    expect((await planner.get('/admin/audit')).status).toBe(403);
  });
});

describe('on https', () => {
  it('marks every cookie Secure, uses __Host- names and sends HSTS', async () => {
    const secure = await createTestApp({ https: true });
    try {
      const user = await addUser(secure, 'planner');
      const agent = request.agent(secure.app);
      const page = await agent.get('/admin/login').set('X-Forwarded-Proto', 'https');
      expect(page.headers['strict-transport-security']).toMatch(/max-age=31536000/);
      const cookies = page.headers['set-cookie'] as unknown as string[];
      expect(cookies.find((c) => c.startsWith('__Host-pd_csrf='))).toMatch(/; Path=\/;.*Secure/);
      const token = csrfFrom(page.text);
      const login = await request(secure.app)
        .post('/admin/login')
        .set('X-Forwarded-Proto', 'https')
        .set('Cookie', cookies.map((c) => c.split(';')[0]).join('; '))
        .type('form')
        .send({ _csrf: token, email: user.email, password: user.password });
      expect(login.status).toBe(303);
      const session = (login.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('__Host-pd_sid='))!;
      expect(session).toMatch(/Path=\//);
      expect(session).toMatch(/HttpOnly/);
      expect(session).toMatch(/Secure/);
      expect(session).toMatch(/SameSite=Lax/);
      expect(secure.logged).toEqual([]);
    } finally {
      await secure.close();
    }
  });
});

describe('changing a user', () => {
  it('ends their sessions when their password is reset, and applies a new role at their next request', async () => {
    const admin = await logIn(t, await addUser(t, 'admin'));
    const planner = await addUser(t, 'planner');
    const plannerAgent = await logIn(t, planner);
    expect((await plannerAgent.get('/admin/surveys/vatandas-anketi/responses')).status).toBe(200);
    await postForm(admin, `/admin/users/${planner.id}`, `/admin/users/${planner.id}/role`, { role: 'viewer' });
    expect((await plannerAgent.get('/admin/surveys/vatandas-anketi/responses')).status).toBe(403);
    await postForm(admin, `/admin/users/${planner.id}`, `/admin/users/${planner.id}/password`, { password: 'yepyeni-parola-99' });
    expect((await plannerAgent.get('/admin/surveys')).status).toBe(303);
    expect(await t.db.selectFrom('sessions').select('sid').where('user_id', '=', planner.id).execute()).toEqual([]);
  });
});
