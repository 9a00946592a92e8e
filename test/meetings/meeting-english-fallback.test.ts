// A meeting written in Turkish only, read in English: the mail marks the Turkish texts lang="tr"
// (through a real SMTP server), and the planner who saves such a meeting is told which texts
// English sign-ups will read in Turkish, in the planner's language, without being stopped.
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { addUser, logIn, postForm } from '../helpers/admin';
import { scheduleMeeting, signUp } from '../helpers/meetings';
import { createTestSmtp, type TestSmtp } from '../helpers/smtp';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { missingEnglish } from '../../server/meetings/meeting-rules';

describe('missingEnglish', () => {
  const none = { title_tr: 'Başlık', title_en: 'Title', description_tr: null, description_en: null, accessibility_tr: null, accessibility_en: null };
  it('lists the texts given in Turkish but not in English, in a fixed order', () => {
    expect(missingEnglish(none)).toEqual([]);
    expect(missingEnglish({ ...none, title_en: null, accessibility_tr: 'Rampa var', description_tr: 'Açıklama', description_en: '  ' })).toEqual(['title', 'description', 'accessibility']);
    // English without Turkish is no gap for English readers.
    expect(missingEnglish({ ...none, accessibility_en: 'Ramp' })).toEqual([]);
  });
});

describe('the mail of a meeting with Turkish texts only', () => {
  let smtp: TestSmtp;
  let t: TestApp;
  beforeEach(async () => {
    smtp = await createTestSmtp();
    t = await createTestApp({ smtpPort: smtp.port });
  });
  afterEach(async () => {
    expect(t.logged).toEqual([]);
    await t.close();
    await smtp.stop();
  });

  it('marks the Turkish title and accessibility text lang="tr" for an English reader, and nothing for a Turkish one', async () => {
    const id = await scheduleMeeting(t, { title_tr: 'Gazi Buluşması', title_en: null, accessibility_tr: 'Bina girişinde iki basamak var.', accessibility_en: null });
    await signUp(request.agent(t.app), id, { name: 'Mary Smith', email: 'mary@example.org' }, 'en');
    await signUp(request.agent(t.app), id, { name: 'Ayşe Yılmaz', email: 'ayse@example.org' });
    expect(await t.worker.runOnce()).toEqual({ sent: 2, failed: 0 });
    const [english, turkish] = smtp.received;
    expect(english!.to).toMatchObject({ text: 'mary@example.org' });
    const html = english!.html as string;
    expect(html).toContain('<span lang="tr">Bina girişinde iki basamak var.</span>');
    expect(html).toContain('<strong><span lang="tr">Gazi Buluşması</span></strong>');
    expect(html).toContain('You are signed up for &quot;<span lang="tr">Gazi Buluşması</span>&quot;');
    // The plain text has no markup.
    expect(english!.text).toContain('Accessibility: Bina girişinde iki basamak var.');
    expect(english!.text).not.toContain('<span');
    const turkishHtml = turkish!.html as string;
    expect(turkishHtml).toContain('Bina girişinde iki basamak var.');
    expect(turkishHtml).not.toContain('<span lang="tr"');
  });

  it('uses the English texts unmarked where they exist', async () => {
    const id = await scheduleMeeting(t, { title_tr: 'Gazi Buluşması', title_en: 'Gazi Meeting', accessibility_tr: 'Rampa var.', accessibility_en: 'There is a ramp.' });
    await signUp(request.agent(t.app), id, { name: 'Mary Smith', email: 'mary@example.org' }, 'en');
    expect(await t.worker.runOnce()).toEqual({ sent: 1, failed: 0 });
    const html = smtp.received[0]!.html as string;
    expect(html).toContain('<strong>Gazi Meeting</strong>');
    expect(html).toContain('There is a ramp.');
    expect(html).not.toContain('<span lang="tr"');
    expect(html).not.toContain('Rampa var.');
  });
});

describe('saving a meeting without its English texts', () => {
  let t: TestApp;
  let planner: TestAgent;
  beforeEach(async () => {
    t = await createTestApp();
    planner = await logIn(t, await addUser(t, 'planner'));
  });
  afterEach(async () => {
    expect(t.logged).toEqual([]);
    await t.close();
  });

  const form = (overrides: Record<string, string> = {}) => ({
    title_tr: 'Gazi Mahallesi Buluşması',
    title_en: '',
    mahalles: 'gazi',
    venue: 'Gazi Muhtarlığı',
    address: 'Çınar Cad. No: 4',
    date: '2026-12-10',
    start_time: '19:00',
    end_time: '21:00',
    capacity: '20',
    deadline_date: '',
    deadline_time: '',
    accessibility_tr: 'Giriş katında, rampa var.',
    accessibility_en: '',
    description_tr: '',
    description_en: '',
    ...overrides,
  });
  const notice = (html: string) => /<p class="notice" role="status">([^<]*)<\/p>/.exec(html)?.[1];

  it('saves it and tells the planner which texts English sign-ups will read in Turkish', async () => {
    const created = await postForm(planner, '/admin/meetings/new', '/admin/meetings', form());
    expect(created.status).toBe(303);
    const meetings = await t.db.selectFrom('meetings').select(['id', 'title_tr', 'title_en']).execute();
    expect(meetings).toEqual([{ id: expect.any(Number), title_tr: 'Gazi Mahallesi Buluşması', title_en: null }]);
    const page = await planner.get(created.headers.location!);
    expect(page.text).toContain('Buluşma oluşturuldu.');
    expect(notice(page.text)).toBe('İngilizce metni girilmemiş alanlar: başlık, erişilebilirlik bilgisi. İngilizce kaydolanlar bunları Türkçe görecek.');
    // Shown once, after the save.
    expect(notice((await planner.get(created.headers.location!)).text)).toBeUndefined();
  });

  it('says it in English to a planner reading in English, on editing too, and not at all once the English texts are there', async () => {
    const id = meetingsId(await postForm(planner, '/admin/meetings/new', '/admin/meetings', form({ title_en: 'Gazi Meeting', accessibility_en: 'Ground floor, ramp.' })));
    expect(notice((await planner.get(`/admin/meetings/${id}`)).text)).toBeUndefined();

    const edited = await postForm(planner, `/admin/meetings/${id}/edit?lang=en`, `/admin/meetings/${id}`, form({ title_en: 'Gazi Meeting', description_tr: 'Mahallenin ihtiyaçları.' }));
    expect(edited.status).toBe(303);
    const page = await planner.get(`/admin/meetings/${id}`);
    expect(page.text).toContain('Meeting saved.');
    expect(notice(page.text)).toBe('No English text for: description, accessibility information. People who sign up in English will see these in Turkish.');
  });
});

function meetingsId(res: request.Response): number {
  expect(res.status).toBe(303);
  return Number(/\/admin\/meetings\/(\d+)$/.exec(res.headers.location!)![1]);
}
