// Explicit consent to the accessibility need (KVKK art. 6: it may reveal health data): a need is
// stored only with its own unticked box, in the sign-up's transaction with the notice version;
// withdrawing that consent erases the need in the same transaction; planners see a need only
// while its consent stands, and never on the attendance sheet.
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { meetingService } from '../../server/meetings';
import { createI18n } from '../../server/platform/i18n/i18n';
import { CONSENT_PURPOSES } from '../../server/privacy';
import { addUser, csrfFrom, logIn } from '../helpers/admin';
import { htmlProblems } from '../helpers/html';
import { scheduleMeeting, signUp, signUpFields, type Resident } from '../helpers/meetings';
import { createTestSmtp, linkIn } from '../helpers/smtp';
import { createTestApp, TEST_BASE_URL, TEST_SECRET, type TestApp } from '../helpers/test-app';

let t: TestApp;
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

const main = (html: string) => /<main id="main">([\s\S]*)<\/main>/.exec(html)![1]!;
const consents = () => t.db.selectFrom('consents').select(['id', 'purpose', 'registration_id', 'notice_version', 'given_at', 'withdrawn_at']).orderBy('id').execute();
const needs = () => t.db.selectFrom('meeting_registrations').select(['name', 'accessibility_need']).orderBy('id').execute();
const NEED = 'Tekerlekli sandalye kullanıyorum; rampa gerekli.';

async function signedUp(meetingId: number, resident: Resident, lang?: 'en'): Promise<{ browser: TestAgent; page: string }> {
  const browser = request.agent(t.app);
  const response = await signUp(browser, meetingId, resident, lang);
  expect(response.status).toBe(303);
  return { browser, page: response.headers.location as string };
}

/** The withdrawal links on a registration page, by their text. */
async function withdrawalLinksOn(browser: TestAgent, registrationPage: string): Promise<Record<string, string>> {
  const page = await browser.get(registrationPage);
  return Object.fromEntries([...page.text.matchAll(/<a href="(\/acik-riza\/[A-Za-z0-9_-]{22}(?:\?lang=en)?)">([^<]+)<\/a>/g)].map((m) => [m[2]!, m[1]!]));
}

async function withdraw(browser: TestAgent, link: string) {
  const ask = await browser.get(link);
  expect(ask.status).toBe(200);
  return { ask, done: await browser.post(link).type('form').send({ _csrf: csrfFrom(ask.text) }) };
}

describe('the explicit-consent box beside the accessibility need', () => {
  beforeEach(async () => {
    t = await createTestApp();
  });

  it('comes unticked, with its own label, apart from the notice link and from the future-meetings box', async () => {
    const id = await scheduleMeeting(t);
    const form = await request(t.app).get(`/bulusmalar/${id}`);
    expect(form.text).toContain('<input type="checkbox" id="su-access-consent" name="accessibility_consent" value="1" aria-describedby="su-access-consent-hint">');
    const label = /<label class="opt"><input type="checkbox" id="su-access-consent"[\s\S]*?<\/label>/.exec(form.text)![0];
    expect(label).toContain('Erişilebilirlik ihtiyacımın yalnızca bu buluşmanın düzenlenmesi için işlenmesine açık rıza veriyorum.');
    expect(label).not.toContain('aydinlatma-metni');
    expect(label).not.toContain('future_meetings');
    // It follows the need's field and comes before the other optional box.
    expect(form.text.indexOf('id="su-access"')).toBeLessThan(form.text.indexOf('id="su-access-consent"'));
    expect(form.text.indexOf('id="su-access-consent"')).toBeLessThan(form.text.indexOf('id="su-future"'));
    expect(main(form.text)).toContain('özel nitelikli kişisel veri, KVKK md. 6');
    const english = await request(t.app).get(`/bulusmalar/${id}?lang=en`);
    expect(english.text).toContain('I give my explicit consent to my accessibility need being processed only to organise this meeting.');
  });

  it('refuses a need without the box with 422, the error on the box and in the summary, storing nothing', async () => {
    const id = await scheduleMeeting(t);
    for (const [lang, message] of [
      ['tr', 'Erişilebilirlik ihtiyacınızı kaydedebilmemiz için açık rıza kutusunu işaretleyin ya da ihtiyaç alanını boş bırakın.'],
      ['en', 'To record your accessibility need, tick the explicit consent box, or leave the need empty.'],
    ] as const) {
      const browser = request.agent(t.app);
      const form = await browser.get(`/bulusmalar/${id}?lang=${lang}`);
      const refused = await browser
        .post(`/bulusmalar/${id}`)
        .type('form')
        .send({ ...signUpFields(form.text), name: 'Ayşe Yılmaz', phone: '0532 123 45 67', email: '', mahalle: 'ataturk', accessibility_need: NEED, future_meetings: '1' });
      expect({ lang, status: refused.status }).toEqual({ lang, status: 422 });
      expect(refused.text).toContain(`<html lang="${lang}">`);
      const page = main(refused.text);
      // Listed in the summary, linked to the box; shown beside it and tied to it for screen readers.
      expect(page).toMatch(new RegExp(`<div class="error-summary"[\\s\\S]*<li><a href="#su-access-consent">${message}</a></li>`));
      expect(page).toContain(`<p class="error" id="su-access-consent-error">${message}</p>`);
      expect(page).toContain('<input type="checkbox" id="su-access-consent" name="accessibility_consent" value="1" aria-describedby="su-access-consent-hint su-access-consent-error" aria-invalid="true">');
      // What the person typed is kept for them; the box stays as they left it (unticked).
      expect(page).toContain(`>${NEED}</textarea>`);
      expect(page).toMatch(/id="su-future" name="future_meetings" value="1" checked>/);
      expect(await htmlProblems(refused.text)).toEqual([]);
    }
    expect(await needs()).toEqual([]);
    expect(await consents()).toEqual([]);
    expect(await t.db.selectFrom('outbox_messages').select('id').execute()).toEqual([]);
  });

  it('lists the missing box with the other problems of the form', async () => {
    const id = await scheduleMeeting(t);
    const browser = request.agent(t.app);
    const form = await browser.get(`/bulusmalar/${id}`);
    const refused = await browser.post(`/bulusmalar/${id}`).type('form').send({ ...signUpFields(form.text), name: '', phone: '', email: '', mahalle: '', accessibility_need: 'Rampa' });
    expect(refused.status).toBe(422);
    const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(refused.text)![0];
    expect([...summary.matchAll(/href="#([a-z-]+)"/g)].map((m) => m[1])).toEqual(['su-name', 'su-phone', 'su-mahalle', 'su-access-consent']);
  });

  it('stores the need and its consent, with the time and the notice version, in the sign-up', async () => {
    const id = await scheduleMeeting(t);
    await signedUp(id, { name: 'Ayşe Yılmaz', phone: '0532 123 45 67', accessibility_need: `  ${NEED} `, accessibility_consent: '1' });
    await signedUp(id, { name: 'Hasan Kaya', phone: '05327654321', accessibility_need: 'İşaret dili tercümanı', accessibility_consent: '1', future_meetings: '1' }, 'en');
    expect(await needs()).toEqual([
      { name: 'Ayşe Yılmaz', accessibility_need: NEED },
      { name: 'Hasan Kaya', accessibility_need: 'İşaret dili tercümanı' },
    ]);
    const at = t.clock.now.toISOString();
    expect(await consents()).toEqual([
      { id: 1, purpose: 'accessibility_need', registration_id: 1, notice_version: '1.1', given_at: at, withdrawn_at: null },
      { id: 2, purpose: 'future_meetings', registration_id: 2, notice_version: '1.1', given_at: at, withdrawn_at: null },
      { id: 3, purpose: 'accessibility_need', registration_id: 2, notice_version: '1.1', given_at: at, withdrawn_at: null },
    ]);
  });

  it('stores no consent for a ticked box beside an empty need: there is nothing to consent to', async () => {
    const id = await scheduleMeeting(t);
    await signedUp(id, { name: 'Ayşe Yılmaz', phone: '0532 123 45 67', accessibility_consent: '1' });
    await signedUp(id, { name: 'Hasan Kaya', phone: '05327654321', accessibility_need: '   ', accessibility_consent: '1' });
    expect(await needs()).toEqual([
      { name: 'Ayşe Yılmaz', accessibility_need: null },
      { name: 'Hasan Kaya', accessibility_need: null },
    ]);
    expect(await consents()).toEqual([]);
  });

  it('is refused by the service itself when a need comes without consent', async () => {
    const id = await scheduleMeeting(t);
    const outcome = await meetingService.signUp(
      t.db,
      { mailer: t.mailer, baseUrl: TEST_BASE_URL, secret: TEST_SECRET },
      { meetingId: id, name: 'Ayşe Yılmaz', phone: '+905321234567', email: null, mahalleId: 'ataturk', accessibilityNeed: NEED, accessibilityConsent: null, futureMeetingsConsent: null, language: 'tr', requestKey: 'AAAAAAAAAAAAAAAAAAAAAA' },
      t.clock.now,
    );
    expect(outcome).toEqual({ kind: 'consent_required' });
    expect(await needs()).toEqual([]);
    expect(await consents()).toEqual([]);
  });
});

describe('withdrawing the consent to the accessibility need', () => {
  beforeEach(async () => {
    t = await createTestApp();
  });

  it('lists both consents on the registration page with their own links; withdrawing this one erases the need, once', async () => {
    const id = await scheduleMeeting(t);
    const { browser, page } = await signedUp(id, { name: 'Ayşe Yılmaz', phone: '0532 123 45 67', accessibility_need: NEED, accessibility_consent: '1', future_meetings: '1' });
    const registration = main((await browser.get(page)).text);
    expect(registration).toContain('<h2>Açık rızalarınız</h2>');
    expect(registration).toContain('21.11.2026 tarihinde ileride yapılacak buluşmalardan haberdar edilmeye onay verdiniz.');
    expect(registration).toContain('21.11.2026 tarihinde erişilebilirlik ihtiyacınızın bu buluşmanın düzenlenmesi için işlenmesine açık rıza verdiniz.');
    const links = await withdrawalLinksOn(browser, page);
    expect(Object.keys(links)).toEqual(['Bu onayı geri al', 'Erişilebilirlik ihtiyacıma ilişkin rızamı geri al']);
    expect(links['Bu onayı geri al']).not.toBe(links['Erişilebilirlik ihtiyacıma ilişkin rızamı geri al']);

    const link = links['Erişilebilirlik ihtiyacıma ilişkin rızamı geri al']!;
    const ask = await browser.get(link);
    const askMain = main(ask.text);
    expect(await htmlProblems(ask.text)).toEqual([]);
    // Which consent, and what withdrawing does, before the button.
    expect(askMain).toContain('<strong>Erişilebilirlik ihtiyacınızın yalnızca bu buluşmanın düzenlenmesi için işlenmesi</strong>');
    expect(askMain).toContain('Verildiği tarih: 21.11.2026 10:00 · Aydınlatma metni sürümü: 1.1');
    const erasure = askMain.indexOf('yazdığınız erişilebilirlik ihtiyacı aynı anda kalıcı olarak silinir');
    expect(erasure).toBeGreaterThan(-1);
    expect(erasure).toBeLessThan(askMain.indexOf('<button'));
    // Opening the page erases nothing.
    expect(await needs()).toEqual([{ name: 'Ayşe Yılmaz', accessibility_need: NEED }]);

    t.clock.now = new Date('2026-11-23T08:30:00Z');
    const done = await browser.post(link).type('form').send({ _csrf: csrfFrom(ask.text) });
    expect(done.status).toBe(200);
    expect(main(done.text)).toContain('23.11.2026 11:30 itibarıyla bu onayınız geçerli değildir. Buluşma kaydınız değişmedi. Yazdığınız erişilebilirlik ihtiyacı silindi.');
    expect(await needs()).toEqual([{ name: 'Ayşe Yılmaz', accessibility_need: null }]);
    expect((await consents()).map((c) => [c.purpose, c.withdrawn_at])).toEqual([
      ['future_meetings', null],
      ['accessibility_need', '2026-11-23T08:30:00.000Z'],
    ]);
    const seat = await t.db.selectFrom('meeting_registrations').select(['status', 'cancelled_at']).executeTakeFirstOrThrow();
    expect(seat).toEqual({ status: 'confirmed', cancelled_at: null });
    const audit = () => t.db.selectFrom('audit_events').select(['target', 'details']).where('action', '=', 'consent.withdrawn').execute();
    expect(await audit()).toEqual([{ target: 'consent:2', details: JSON.stringify({ purpose: 'accessibility_need', registration: 1, via: 'link', erased: true }) }]);

    // Again: nothing changes, and the page says so.
    t.clock.now = new Date('2026-11-24T08:30:00Z');
    const again = await browser.post(link).type('form').send({ _csrf: csrfFrom(ask.text) });
    expect(again.status).toBe(200);
    expect(main(again.text)).toContain('Bu onay 23.11.2026 11:30 tarihinde geri alınmıştı; yapılacak başka bir işlem yok. Yazdığınız erişilebilirlik ihtiyacı silindi.');
    expect((await consents())[1]!.withdrawn_at).toBe('2026-11-23T08:30:00.000Z');
    expect(await audit()).toHaveLength(1);

    // The registration page: this consent withdrawn (no link), the other one still withdrawable.
    const after = main((await browser.get(page)).text);
    expect(after).toContain('Erişilebilirlik ihtiyacınıza ilişkin açık rızanızı 23.11.2026 tarihinde geri aldınız; ihtiyacınız silindi.');
    expect(Object.keys(await withdrawalLinksOn(browser, page))).toEqual(['Bu onayı geri al']);
  });

  it('in English, says which consent it is and that the need is erased', async () => {
    const id = await scheduleMeeting(t);
    const { browser, page } = await signedUp(id, { name: 'Mehmet Öz', email: 'mehmet@example.org', accessibility_need: 'Hearing loop', accessibility_consent: '1' }, 'en');
    const registration = main((await browser.get(`${page}?lang=en`)).text);
    expect(registration).toContain('<h2>Your explicit consent</h2>');
    const link = (await withdrawalLinksOn(browser, `${page}?lang=en`))['Withdraw my consent about my accessibility need']!;
    expect(link).toMatch(/\?lang=en$/);
    const { ask, done } = await withdraw(browser, link);
    expect(main(ask.text)).toContain('Processing your accessibility need only to organise this meeting');
    expect(main(ask.text)).toContain('the accessibility need you wrote for this sign-up is permanently erased at the same moment');
    expect(main(done.text)).toContain('The accessibility need you wrote has been erased.');
    expect(await needs()).toEqual([{ name: 'Mehmet Öz', accessibility_need: null }]);
  });

  it('leaves the need alone when the other consent is withdrawn', async () => {
    const id = await scheduleMeeting(t);
    const { browser, page } = await signedUp(id, { name: 'Ayşe Yılmaz', phone: '0532 123 45 67', accessibility_need: NEED, accessibility_consent: '1', future_meetings: '1' });
    const { done } = await withdraw(browser, (await withdrawalLinksOn(browser, page))['Bu onayı geri al']!);
    expect(main(done.text)).not.toContain('silindi');
    expect(await needs()).toEqual([{ name: 'Ayşe Yılmaz', accessibility_need: NEED }]);
  });
});

describe('planners and the accessibility need', () => {
  beforeEach(async () => {
    t = await createTestApp();
  });

  const section = (html: string) => /<h2>Erişilebilirlik ihtiyaçları<\/h2>[\s\S]*?(?=<h2|<\/main>)/.exec(main(html))?.[0] ?? '';

  it('see a need only while its consent stands; never on the attendance sheet; older needs only as a count', async () => {
    const id = await scheduleMeeting(t);
    const { browser, page } = await signedUp(id, { name: 'Ayşe Yılmaz', email: 'ayse@example.org', accessibility_need: NEED, accessibility_consent: '1' });
    await signedUp(id, { name: 'Hasan Kaya', phone: '05327654321', accessibility_need: 'İşaret dili tercümanı', accessibility_consent: '1' });
    // A sign-up from before the box existed: its need was typed without any consent being asked.
    await t.db.updateTable('meeting_registrations').set({ accessibility_need: 'Eski: görme engelliyim' }).where('name', '=', 'Hasan Kaya').execute();
    await t.db.deleteFrom('consents').where('registration_id', '=', 2).execute();
    const planner = await logIn(t, await addUser(t, 'planner'));

    const before = await planner.get(`/admin/meetings/${id}`);
    expect(before.status).toBe(200);
    expect(await htmlProblems(before.text)).toEqual([]);
    const shown = section(before.text);
    expect(shown).toContain(`<strong>Ayşe Yılmaz</strong>: <span class="prewrap">${NEED}</span> <span class="hint">(Verildi: 21.11.2026, sürüm 1.1)</span>`);
    expect(shown).not.toContain('Eski: görme engelliyim');
    expect(shown).not.toContain('Hasan Kaya');
    expect(shown).toContain('1 kayıtta, açık rıza istenmeye başlanmadan önce yazılmış bir erişilebilirlik ihtiyacı var.');
    expect(before.text).not.toContain('görme engelliyim');

    const sheet = await planner.get(`/admin/meetings/${id}/sheet`);
    expect(sheet.status).toBe(200);
    expect(sheet.text).toContain('Ayşe Yılmaz');
    expect(sheet.text).not.toContain('Tekerlekli');

    const english = await planner.get(`/admin/meetings/${id}?lang=en`);
    expect(main(english.text)).toContain('1 sign-up has an accessibility need written before explicit consent was asked for.');

    await withdraw(browser, (await withdrawalLinksOn(browser, page))['Erişilebilirlik ihtiyacıma ilişkin rızamı geri al']!);
    // (The language chosen above sticks to the planner's browser: back to Turkish.)
    const after = await planner.get(`/admin/meetings/${id}?lang=tr`);
    expect(after.text).not.toContain('Tekerlekli');
    expect(section(after.text)).not.toContain('Ayşe Yılmaz');
    // The withdrawn need is erased, so it is not among the ones counted either.
    expect(section(after.text)).toContain('1 kayıtta');
  });
});

describe('the withdrawal link in the confirmation mail', () => {
  it('comes for each consent through SMTP, sealed in the outbox, and the accessibility one erases the need', async () => {
    const smtp = await createTestSmtp();
    t = await createTestApp({ smtpPort: smtp.port });
    try {
      const id = await scheduleMeeting(t);
      await signedUp(id, { name: 'Ayşe Yılmaz', email: 'ayse@example.org', accessibility_need: NEED, accessibility_consent: '1', future_meetings: '1' });
      await signedUp(id, { name: 'Mehmet Öz', email: 'mehmet@example.org', accessibility_need: 'Hearing loop', accessibility_consent: '1' }, 'en');
      await signedUp(id, { name: 'Zeynep Ak', email: 'zeynep@example.org', accessibility_consent: '1' });
      for (const m of await t.db.selectFrom('outbox_messages').select(['text_body', 'html_body']).execute()) {
        expect(`${m.text_body}${m.html_body}`).not.toMatch(/acik-riza\/[A-Za-z0-9_-]{22}/);
      }
      expect(await t.worker.runOnce()).toEqual({ sent: 3, failed: 0 });
      const [ayse, mehmet, zeynep] = smtp.received;
      expect(ayse!.text).toContain('İleride yapılacak buluşmalardan haberdar edilmeye onay verdiniz.');
      expect(ayse!.text).toContain('Erişilebilirlik ihtiyacınızın bu buluşmanın düzenlenmesi için işlenmesine açık rıza verdiniz.');
      const html = String(ayse!.html);
      const future = /<a href="https:\/\/katilim\.example\.org(\/acik-riza\/[A-Za-z0-9_-]{22})">Rızamı geri al<\/a>/.exec(html)![1]!;
      const access = /<a href="https:\/\/katilim\.example\.org(\/acik-riza\/[A-Za-z0-9_-]{22})">Erişilebilirlik ihtiyacıma ilişkin rızamı geri al<\/a>/.exec(html)![1]!;
      expect(future).not.toBe(access);
      expect(mehmet!.text).toContain('You gave your explicit consent to your accessibility need being processed to organise this meeting.');
      expect(mehmet!.text).not.toContain('You agreed to hear about future meetings.');
      expect(zeynep!.text).not.toContain('/acik-riza/');

      const browser = request.agent(t.app);
      const { done } = await withdraw(browser, access);
      expect(main(done.text)).toContain('Yazdığınız erişilebilirlik ihtiyacı silindi.');
      const englishLink = linkIn(mehmet!, `${TEST_BASE_URL}/acik-riza/`).slice(TEST_BASE_URL.length);
      expect(englishLink).toMatch(/\?lang=en$/);
      const english = await withdraw(browser, englishLink);
      expect(main(english.done.text)).toContain('The accessibility need you wrote has been erased.');
      expect(await needs()).toEqual([
        { name: 'Ayşe Yılmaz', accessibility_need: null },
        { name: 'Mehmet Öz', accessibility_need: null },
        { name: 'Zeynep Ak', accessibility_need: null },
      ]);
      expect((await consents()).map((c) => [c.purpose, c.registration_id, c.withdrawn_at !== null])).toEqual([
        ['future_meetings', 1, false],
        ['accessibility_need', 1, true],
        ['accessibility_need', 2, true],
      ]);
    } finally {
      await smtp.stop();
    }
  });
});

describe('the texts of each consent purpose', () => {
  it('exist in Turkish and English wherever a purpose is shown', () => {
    const { translators } = createI18n();
    const keys = CONSENT_PURPOSES.flatMap((purpose) => [
      `privacy:consent.purposes.${purpose}`,
      `privacy:consent.effects.${purpose}`,
      `privacy:consent.registration.${purpose}.active`,
      `privacy:consent.registration.${purpose}.withdraw_link`,
      `privacy:consent.registration.${purpose}.withdrawn`,
      `privacy:notice.consent.${purpose}`,
      `privacy_admin:purposes.${purpose}`,
    ]);
    for (const language of ['tr', 'en'] as const) {
      const missing = keys.filter((key) => translators[language](key) === key.slice(key.indexOf(':') + 1) || translators[language](key) === key);
      expect({ language, missing }).toEqual({ language, missing: [] });
    }
  });
});
