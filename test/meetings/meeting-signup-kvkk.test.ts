// The sign-up form's KVKK text: a plain first sentence in view, everything else behind a
// <details> disclosure that works without JavaScript, and nothing the notice says left out.
import request from 'supertest';
import { buildPrivacyNotice } from '../../server/privacy';
import { createI18n } from '../../server/platform/i18n/i18n';
import { scheduleMeeting } from '../helpers/meetings';
import { createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

const i18n = createI18n();
/** As EJS writes text. */
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');

describe.each(['tr', 'en'] as const)('the meeting sign-up form in %s', (lang) => {
  it('shows a plain first sentence and keeps the full KVKK information behind a disclosure', async () => {
    const tr = i18n.translators[lang]!;
    const notice = buildPrivacyNotice(t.catalog.municipality);
    const id = await scheduleMeeting(t);
    const html = (await request(t.app).get(`/bulusmalar/${id}?lang=${lang}`)).text;

    const months = tr('privacy:notice.months', { count: notice.params.months });
    const plain = esc(tr('meetings:signup.kvkk_plain', { months }));
    const kvkk = html.slice(html.indexOf('<div class="kvkk">'));
    const details = kvkk.slice(kvkk.indexOf('<details>'), kvkk.indexOf('</details>'));
    // The plain sentence comes first, outside the disclosure; the rest is inside it.
    expect(kvkk.indexOf(plain)).toBeGreaterThan(0);
    expect(kvkk.indexOf(plain)).toBeLessThan(kvkk.indexOf('<details>'));
    expect(details).toContain(`<summary>${esc(tr('meetings:signup.kvkk_more'))}</summary>`);

    const activity = notice.activities.find((a) => a.id === 'meeting_signups')!;
    const expected = [
      ...activity.data.map((item) => tr(`privacy:notice.data.${item}`)),
      ...activity.purposes.map((p) => tr(`privacy:notice.purposes.${p.id}`, { period: notice.params.period })),
      ...activity.purposes.flatMap((p) => p.legalBases.map((basis) => tr(`privacy:notice.legal_bases.${basis}`))),
      tr(`privacy:notice.retention.${activity.retention}`, { months }),
      tr('privacy:link.before_form'),
      notice.controller.email,
      notice.controller.phone,
    ];
    for (const text of expected) expect(details).toContain(esc(text));
    expect(details).toContain('href="/aydinlatma-metni"');

    // The explicit-consent paragraph for an accessibility need: a plain sentence the box points at, the full text one tap away.
    const hint = html.indexOf(`<p class="hint" id="su-access-consent-hint">${esc(tr('meetings:signup.accessibility_consent_plain'))}</p>`);
    expect(hint).toBeGreaterThan(0);
    const more = html.slice(hint, html.indexOf('id="su-access-consent"'));
    expect(more).toContain(`<summary>${esc(tr('meetings:signup.accessibility_consent_more'))}</summary>`);
    expect(more).toContain(esc(tr('meetings:signup.accessibility_consent_hint')));
    expect(html).toContain('aria-describedby="su-access-consent-hint"');
  });
});
