// Every meeting page, public and back office, is valid HTML; the public ones are small enough for
// a slow phone (under 30 KB with their CSS, uncompressed) and work as plain forms.
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { PUBLIC_DIR } from '../../server/platform/http/assets';
import { addUser, logIn, postForm } from '../helpers/admin';
import { htmlProblems } from '../helpers/html';
import { scheduleMeeting, signUp, signUpFields } from '../helpers/meetings';
import { createTestApp, type TestApp } from '../helpers/test-app';

const LIMIT = 30 * 1024;
const css = fs.statSync(path.join(PUBLIC_DIR, 'css', 'app.css')).size;
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

it('are valid HTML, and the public ones stay under 30 KB with their CSS in both languages', async () => {
  const full = await scheduleMeeting(t, { capacity: 1, description_tr: 'Uzun bir açıklama. '.repeat(40) });
  const open = await scheduleMeeting(t, { title_tr: 'Gazi buluşması', mahalles: ['gazi', 'fatih'], capacity: null });
  const resident = request.agent(t.app);
  const confirmed = (await signUp(resident, full, { name: 'Ayşe Yılmaz', email: 'ayse@example.org', accessibility_need: 'Rampa', accessibility_consent: '1' })).headers.location as string;
  const waiting = (await signUp(request.agent(t.app), full, { name: 'Hasan Kaya', phone: '05327654321' })).headers.location as string;
  const duplicate = await signUp(request.agent(t.app), full, { name: 'Ayşe', email: 'ayse@example.org' });
  const form = await resident.get(`/bulusmalar/${open}`);
  const invalid = await resident.post(`/bulusmalar/${open}`).type('form').send({ ...signUpFields(form.text), name: '', phone: 'x' });
  expect(invalid.status).toBe(422);

  const pages: [string, string][] = [['invalid form', invalid.text], ['duplicate', duplicate.text]];
  for (const lang of ['tr', 'en']) {
    for (const url of ['/bulusmalar', `/bulusmalar/${full}`, `/bulusmalar/${open}`, confirmed, waiting, '/bulusmalar/kayit/1-AAAAAAAAAAAAAAAAAAAAAA']) {
      pages.push([`${url}?lang=${lang}`, (await request(t.app).get(`${url}?lang=${lang}`).set('Accept-Encoding', 'identity')).text]);
    }
  }
  for (const [url, html] of pages) {
    expect({ url, problems: await htmlProblems(html) }).toEqual({ url, problems: [] });
    expect({ url, bytes: Buffer.byteLength(html) + css < LIMIT }).toEqual({ url, bytes: true });
    // Plain server-rendered pages: no script is needed to sign up or cancel.
    expect(html).not.toContain('<script');
  }
  // Consent is asked only for an optional use and is never ticked in advance.
  expect(form.text).toMatch(/<input type="checkbox" id="su-future" name="future_meetings" value="1">/);

  // The meeting's day, before it starts: check-in and outcomes are open.
  t.clock.now = new Date('2026-12-05T12:00:00.000Z');
  const planner = await logIn(t, await addUser(t, 'planner'));
  expect((await postForm(planner, `/admin/meetings/${full}/outcomes`, `/admin/meetings/${full}/requests`, { text: 'Yaya geçidi', area: 'ulasim_trafik', mahalle: '', supporters: '3', gzft: 'weakness' })).status).toBe(303);
  const invalidRequest = await postForm(planner, `/admin/meetings/${full}/outcomes`, `/admin/meetings/${full}/requests`, { text: '', area: '', mahalle: '', supporters: '0', gzft: '' });
  expect(invalidRequest.status).toBe(422);
  const admin: [string, string][] = [['invalid request', invalidRequest.text]];
  for (const url of ['/admin/meetings', '/admin/meetings/new', `/admin/meetings/${full}`, `/admin/meetings/${full}/edit`, `/admin/meetings/${full}/sheet`, `/admin/meetings/${full}/check-in`, `/admin/meetings/${full}/check-in?q=ay%C5%9Fe`, `/admin/meetings/${full}/outcomes`, '/admin/meetings/outcomes']) {
    const page = await planner.get(url);
    expect([url, page.status]).toEqual([url, 200]);
    admin.push([url, page.text]);
  }
  for (const [url, html] of admin) expect({ url, problems: await htmlProblems(html) }).toEqual({ url, problems: [] });
});
