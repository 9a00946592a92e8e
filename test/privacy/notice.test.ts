// The privacy notice (aydınlatma metni): built from municipality.json with every part KVKK art. 10
// and the Communiqué on the obligation to inform ask for, in Turkish and English, escaped.
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { MunicipalityFile, type Municipality } from '../../server/municipality';
import { createI18n } from '../../server/platform/i18n/i18n';
import { buildPrivacyNotice, RIGHTS } from '../../server/privacy/notice';
import { htmlProblems } from '../helpers/html';
import { BUNDLED_SURVEYS, createTestApp, FIXTURE_SURVEYS, tempDir, type TestApp } from '../helpers/test-app';

const bundled = (): Municipality => MunicipalityFile.parse(JSON.parse(fs.readFileSync(path.join(BUNDLED_SURVEYS, 'municipality.json'), 'utf8')));
const main = (html: string) => /<main id="main">([\s\S]*)<\/main>/.exec(html)![1]!;
/** The page's text without tags, entities decoded, whitespace collapsed: what a reader sees. */
const visible = (html: string) =>
  main(html)
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;|&#34;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

describe('buildPrivacyNotice', () => {
  it('takes the controller, version, date, plan period and retention months from municipality.json', () => {
    const municipality = bundled();
    const notice = buildPrivacyNotice(municipality);
    expect(notice.version).toBe('1.1');
    expect(notice.date).toBe('2026-12-07');
    expect(notice.params).toEqual({ period: '2025-2029', months: 12, version: '1.1' });
    expect(notice.controller).toEqual({
      name: municipality.dataController.name,
      address: municipality.dataController.address,
      email: 'kvkk@example.org',
      phone: municipality.dataController.phone,
      kepAddress: null,
    });
  });

  it('describes each processing activity with its data, purposes, legal bases, collection and retention', () => {
    const notice = buildPrivacyNotice(bundled());
    expect(notice.activities.map((a) => a.id)).toEqual(['citizen_surveys', 'meeting_signups', 'institutions', 'back_office']);
    for (const activity of notice.activities) {
      expect(activity.data.length).toBeGreaterThan(0);
      expect(activity.purposes.length).toBeGreaterThan(0);
      expect(activity.collection.length).toBeGreaterThan(0);
      for (const purpose of activity.purposes) expect(purpose.legalBases.length).toBeGreaterThan(0);
    }
    const surveys = notice.activities.find((a) => a.id === 'citizen_surveys')!;
    // Anonymous: none of these is asked for or stored with the answers.
    expect(surveys.notCollected).toEqual(['name', 'phone', 'email', 'id_number', 'ip_address', 'user_agent']);
    expect(surveys.data).not.toEqual(expect.arrayContaining(['name']));
    // The quality checks keep a daily-keyed digest of the network, never the address: said in the notice.
    expect(surveys.data).toEqual(['survey_answers', 'banded_demographics', 'open_answers', 'response_checks']);
    expect(notice.activities.find((a) => a.id === 'meeting_signups')!.data).toEqual(['name', 'mahalle', 'phone_or_email', 'accessibility_need', 'attendance']);
    // The accessibility need may reveal health data: the only special category (KVKK art. 6) anywhere.
    expect(notice.activities.map((a) => [a.id, a.specialCategory])).toEqual([
      ['citizen_surveys', []],
      ['meeting_signups', ['accessibility_need']],
      ['institutions', []],
      ['back_office', []],
    ]);
    expect(notice.activities.find((a) => a.id === 'institutions')!.data).toEqual(expect.arrayContaining(['institution', 'institution_email', 'contact_person']));
  });

  it('rests the plan work on the law, and asks explicit consent only for the optional uses', () => {
    const notice = buildPrivacyNotice(bundled());
    const purposes = notice.activities.flatMap((a) => a.purposes);
    const consented = purposes.filter((p) => p.legalBases.includes('explicit_consent') || p.legalBases.includes('explicit_consent_special'));
    expect(consented).toEqual([
      { id: 'future_meetings', legalBases: ['explicit_consent'], consent: 'future_meetings' },
      // Special-category data (art. 6) on explicit consent alone, erased when it is withdrawn.
      { id: 'accessibility_arrangements', legalBases: ['explicit_consent_special'], consent: 'accessibility_need', erasedOnWithdrawal: ['accessibility_need'] },
    ]);
    // Every special category is covered by such a purpose, in its own activity.
    for (const activity of notice.activities) {
      const erasedWith = activity.purposes.filter((p) => p.legalBases.includes('explicit_consent_special')).flatMap((p) => p.erasedOnWithdrawal ?? []);
      expect({ activity: activity.id, uncovered: activity.specialCategory.filter((item) => !erasedWith.includes(item)) }).toEqual({ activity: activity.id, uncovered: [] });
    }
    // Everything else stands without consent: law (5/2-a) or a legal obligation (5/2-ç).
    for (const purpose of purposes.filter((p) => p.consent === undefined)) {
      expect(purpose.legalBases.every((basis) => basis === 'law' || basis === 'legal_obligation')).toBe(true);
    }
    expect(purposes.find((p) => p.id === 'strategic_plan_survey')!.legalBases).toEqual(['law']);
    expect(notice.consents).toEqual([
      { purpose: 'future_meetings', activity: 'meeting_signups', erases: [] },
      { purpose: 'accessibility_need', activity: 'meeting_signups', erases: ['accessibility_need'] },
    ]);
  });

  it('lists every right of art. 11 (a)–(ğ), the recipients, the cookies, and the 30-day answer', () => {
    const notice = buildPrivacyNotice(bundled());
    expect(notice.rights.map((r) => r.letter)).toEqual(['a', 'b', 'c', 'ç', 'd', 'e', 'f', 'g', 'ğ']);
    expect(notice.recipients).toEqual(['not_abroad', 'email_providers', 'authorities', 'reports']);
    expect(notice.cookies).toEqual(['language', 'form_security', 'survey_draft', 'survey_done', 'back_office_session']);
    expect(notice.application.answerDays).toBe(30);
  });

  it('offers KEP as a way to apply only when the municipality has a KEP address', () => {
    const municipality = bundled();
    expect(buildPrivacyNotice(municipality).application.methods).toEqual(['in_writing', 'registered_email', 'e_signature']);
    const withKep = { ...municipality, dataController: { ...municipality.dataController, kepAddress: 'yesilvadi.belediyesi@hs01.kep.tr' } };
    const notice = buildPrivacyNotice(withKep);
    expect(notice.application.methods).toEqual(['in_writing', 'kep', 'registered_email', 'e_signature']);
    expect(notice.controller.kepAddress).toBe('yesilvadi.belediyesi@hs01.kep.tr');
  });

  it('follows a changed profile: version, date, months and period', () => {
    const municipality = bundled();
    const notice = buildPrivacyNotice({ ...municipality, planPeriod: { start: 2030, end: 2034 }, privacy: { noticeVersion: '2.3', noticeDate: '2027-02-15', retentionMonths: 6 } });
    expect(notice).toMatchObject({ version: '2.3', date: '2027-02-15', params: { period: '2030-2034', months: 6, version: '2.3' } });
  });

  it('names only texts that exist in both languages', () => {
    const { translators } = createI18n();
    const municipality = bundled();
    const notice = buildPrivacyNotice({ ...municipality, dataController: { ...municipality.dataController, kepAddress: 'k@hs01.kep.tr' } });
    const keys = [
      ...notice.activities.flatMap((a) => [
        `privacy:notice.activities.${a.id}`,
        `privacy:notice.activities.${a.id}_note`,
        `privacy:notice.retention.${a.retention}`,
        ...a.data.map((d) => `privacy:notice.data.${d}`),
        ...a.specialCategory.map((d) => `privacy:notice.special.${d}`),
        ...a.notCollected.map((d) => `privacy:notice.not_collected.${d}`),
        ...a.purposes.map((p) => `privacy:notice.purposes.${p.id}`),
        ...a.purposes.flatMap((p) => p.legalBases.map((b) => `privacy:notice.legal_bases.${b}`)),
        ...a.collection.map((c) => `privacy:notice.collection.${c}`),
      ]),
      ...notice.recipients.map((r) => `privacy:notice.recipients.${r}`),
      ...notice.consents.map((c) => `privacy:notice.consent.${c.purpose}`),
      ...notice.rights.map((r) => `privacy:notice.rights.${r.id}`),
      ...notice.application.methods.map((m) => `privacy:notice.apply.${m}`),
      ...notice.cookies.map((c) => `privacy:notice.cookies.${c}`),
    ];
    expect(keys.length).toBeGreaterThan(60);
    for (const language of ['tr', 'en'] as const) {
      const missing = keys.filter((key) => translators[language](key) === key.slice('privacy:'.length) || translators[language](key) === key);
      expect({ language, missing }).toEqual({ language, missing: [] });
    }
  });
});

describe('GET /aydinlatma-metni', () => {
  let t: TestApp;
  afterEach(async () => {
    expect(t.logged).toEqual([]);
    await t.close();
  });

  it('shows every section in Turkish with the version and date visible and the data controller to apply to', async () => {
    t = await createTestApp();
    const page = await request(t.app).get('/aydinlatma-metni');
    expect(page.status).toBe(200);
    expect(await htmlProblems(page.text)).toEqual([]);
    const text = visible(page.text);
    expect(main(page.text)).toContain('<strong>Sürüm 1.1 · Yürürlük tarihi: 07.12.2026</strong>');
    for (const heading of [
      '1. Veri sorumlusu',
      '2. İşlenen veriler, amaçlar, hukuki sebepler ve toplama yöntemi',
      '3. Kişisel verilerin kimlere ve hangi amaçla aktarılabileceği',
      '4. Saklama süresi',
      '5. Açık rıza ve geri alınması',
      "6. KVKK'nın 11. maddesi kapsamındaki haklarınız",
      '7. Başvuru yolu',
      '8. Çerezler',
    ]) {
      expect(text).toContain(heading);
    }
    // The controller and how to reach it, from municipality.json.
    expect(text).toContain('Yeşilvadi Belediyesi (Demo)');
    expect(text).toContain('Cumhuriyet Mahallesi, Belediye Caddesi No: 1');
    expect(main(page.text)).toContain('href="mailto:kvkk@example.org"');
    // Each activity, the anonymity of surveys, the legal bases and the optional consent.
    for (const title of ['Vatandaş anketleri', 'Mahalle buluşmalarına kayıt', 'Kurumların davet edilmesi, başvurusu ve görüş formları', 'Belediye personelinin kullandığı yönetim paneli']) {
      expect(text).toContain(title);
    }
    expect(text).toContain('IP adresiniz');
    expect(text).toContain('tarayıcı ve cihaz bilginiz (user agent)');
    expect(text).toContain('2025-2029 Stratejik Planı');
    expect(text).toContain('KVKK md. 5/2-(a), kanunlarda açıkça öngörülmesi (5018 sayılı Kamu Malî Yönetimi ve Kontrol Kanunu md. 9, 5393 sayılı Belediye Kanunu md. 41)');
    expect(text).toContain('KVKK md. 5/2-(ç)');
    expect(text).toContain('İleride yapılacak buluşmalardan haberdar edilmeniz (isteğe bağlı). Hukuki sebep: KVKK md. 5/1, açık rızanız.');
    expect(text).toContain('Bu sitedeki web formlarıyla, elektronik ortamda');
    // The accessibility need: special-category data, on explicit consent only, withdrawable, erased on withdrawal.
    expect(text).toContain('Özel nitelikli kişisel veri (KVKK md. 6) Erişilebilirlik ihtiyacı: sağlık durumunuza ilişkin olabilir. Yalnızca açık rızanızla');
    expect(text).toContain('geri aldığınızda ihtiyacınız silinir');
    expect(text).toContain(
      'Belirttiğiniz erişilebilirlik ihtiyacının, yalnızca kaydolduğunuz buluşmanın düzenlenmesi için karşılanması (özel nitelikli kişisel veri) (isteğe bağlı). Hukuki sebep: KVKK md. 6/3-(a), özel nitelikli kişisel veri için açık rızanız.',
    );
    expect(text).toContain('Bu rızayı geri aldığınızda yazdığınız ihtiyaç aynı anda kalıcı olarak silinir');
    // Recipients and retention, with the months from the profile.
    expect(text).toContain('Kişisel verileriniz yurt dışına aktarılmaz.');
    expect(text).toContain('e-posta hizmet sağlayıcılarına (veri işleyen)');
    expect(text).toContain('kişilerin adları hiçbir zaman yayımlanmaz');
    expect(text).toContain('belediye meclisince kabul edildikten sonra 12 ay daha saklanır, ardından silinir veya anonim hâle getirilir');
    // All of art. 11, each with its letter.
    for (const letter of ['a', 'b', 'c', 'ç', 'd', 'e', 'f', 'g', 'ğ']) expect(text).toContain(`(${letter}) `);
    expect(text).toContain('(ğ) Kişisel verilerinizin kanuna aykırı olarak işlenmesi sebebiyle zarara uğramanız');
    // How to apply, with the controller's contact data, free and within 30 days.
    expect(text).toContain('Veri Sorumlusuna Başvuru Usul ve Esasları Hakkında Tebliğ');
    expect(text).toContain('Islak imzalı bir dilekçeyle, şahsen veya posta yoluyla: Cumhuriyet Mahallesi');
    expect(text).toContain('sistemimizde kayıtlı e-posta adresinizden (ör. buluşma kaydında verdiğiniz adres): kvkk@example.org');
    expect(text).toContain('en geç 30 gün içinde ücretsiz olarak sonuçlandırılır');
    expect(text).not.toContain('KEP) ile');
    // The cookies, and the version again at the end.
    expect(text).toContain('Dil tercihiniz (bir yıl).');
    expect(text).toContain('Yarım kalan anket');
    expect(text).toContain('Bu sürüm: 1.1, yürürlük tarihi: 07.12.2026.');
    expect(RIGHTS).toHaveLength(9);
  });

  it('shows the same notice in English', async () => {
    t = await createTestApp();
    const page = await request(t.app).get('/aydinlatma-metni?lang=en');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="en">');
    const text = visible(page.text);
    expect(text).toContain('Version 1.1 · In effect from 7 Dec 2026');
    for (const heading of ['1. Data controller', '3. To whom personal data may be transferred', '4. How long data is kept', '5. Explicit consent and withdrawing it', '6. Your rights under article 11', '7. How to apply', '8. Cookies']) {
      expect(text).toContain(heading);
    }
    expect(text).toContain('Yeşilvadi Municipality (Demo)');
    expect(text).toContain('preparing the 2025-2029 Strategic Plan with stakeholder participation');
    expect(text).toContain('KVKK art. 5(2)(a), expressly provided for by law');
    expect(text).toContain('kept for 12 months after the municipal council adopts the Strategic Plan');
    expect(text).toContain('(ğ) claim compensation');
    expect(text).toContain('within 30 days at the latest');
    expect(text).toContain('your IP address');
    expect(text).toContain('Special category personal data (KVKK art. 6) Accessibility need: it may reveal something about your health.');
    expect(text).toContain('Legal basis: KVKK art. 6(3)(a), your explicit consent for special category personal data.');
    expect(text).toContain('When you withdraw this consent, the need you wrote is permanently erased at the same moment');
    // No Turkish sentence left behind.
    expect(text).not.toMatch(/Veri sorumlusu|Haklarınız|Saklama süresi/);
  });

  it('is generated from the municipality profile it is given, and escapes every value taken from it', async () => {
    const dir = tempDir('paydas-notice-');
    for (const name of fs.readdirSync(FIXTURE_SURVEYS)) fs.copyFileSync(path.join(FIXTURE_SURVEYS, name), path.join(dir, name));
    const profile = JSON.parse(fs.readFileSync(path.join(dir, 'municipality.json'), 'utf8'));
    profile.planPeriod = { start: 2030, end: 2034 };
    profile.dataController = {
      name: { tr: 'Örnek <script>alert(1)</script> Belediyesi', en: 'Sample <b>Municipality</b>' },
      address: 'Çarşı "Sokak" <i>No</i> 5 & Co',
      email: 'kvkk@ornek.example.org',
      kepAddress: 'ornek<belediye>@hs01.kep.tr',
      phone: '+90 312 000 00 00 "><img src=x onerror=alert(1)>',
    };
    profile.privacy = { noticeVersion: '3.1<b>', noticeDate: '2027-03-04', retentionMonths: 18 };
    fs.writeFileSync(path.join(dir, 'municipality.json'), JSON.stringify(profile));
    t = await createTestApp({ surveysDir: dir });

    const page = await request(t.app).get('/aydinlatma-metni');
    expect(page.status).toBe(200);
    const html = main(page.text);
    expect(html).not.toMatch(/<script>|<b>|<i>|<img|<belediye>/);
    expect(html).toContain('Örnek &lt;script&gt;alert(1)&lt;/script&gt; Belediyesi');
    expect(html).toContain('Çarşı &#34;Sokak&#34; &lt;i&gt;No&lt;/i&gt; 5 &amp; Co');
    expect(html).toContain('ornek&lt;belediye&gt;@hs01.kep.tr');
    expect(html).toContain('Sürüm 3.1&lt;b&gt; · Yürürlük tarihi: 04.03.2027');
    const text = visible(page.text);
    expect(text).toContain('2030-2034 Stratejik Planı');
    expect(text).toContain('18 ay daha saklanır');
    expect(text).toContain('Kayıtlı elektronik posta (KEP) ile: ornek<belediye>@hs01.kep.tr');
    expect(text).toContain('Telefon: +90 312 000 00 00 "><img src=x onerror=alert(1)>');
    expect(await htmlProblems(page.text)).toEqual([]);

    const english = visible((await request(t.app).get('/aydinlatma-metni?lang=en')).text);
    expect(english).toContain('Sample <b>Municipality</b> is preparing its 2030-2034 Strategic Plan');
    expect(english).toContain('kept for 18 months after');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
