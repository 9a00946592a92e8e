// The whole story in one run: a planner schedules meetings in three mahalles, residents
// sign up from phones until one is full, a cancellation promotes the first person waiting,
// reminders go out, the planner checks people in and records requests, and the requests show up
// by activity area.
import request from 'supertest';
import { addUser, csrfFrom, logIn, postForm } from '../helpers/admin';
import { signUpFields } from '../helpers/meetings';
import { linkIn } from '../helpers/smtp';
import { createTestApp, TEST_BASE_URL } from '../helpers/test-app';

it('runs neighbourhood meetings from planning to requests by activity area', async () => {
  const t = await createTestApp();
  try {
    const planner = await logIn(t, await addUser(t, 'planner'));

    // 1. Three meetings, three mahalles.
    const ids: number[] = [];
    for (const [title, mahalle, capacity, date] of [
      ['Atatürk buluşması', 'ataturk', '2', '2026-12-01'],
      ['Gazi buluşması', 'gazi', '30', '2026-12-02'],
      ['Fatih buluşması', 'fatih', '', '2026-12-03'],
    ] as const) {
      const form = await planner.get('/admin/meetings/new');
      const response = await planner.post('/admin/meetings').type('form').send(
        new URLSearchParams({ _csrf: csrfFrom(form.text), title_tr: title, title_en: '', mahalles: mahalle, venue: `${title} salonu`, address: 'Merkez', date, start_time: '19:00', end_time: '21:00', capacity, deadline_date: '', deadline_time: '', accessibility_tr: '', accessibility_en: '', description_tr: '', description_en: '' }).toString(),
      );
      expect(response.status).toBe(303);
      ids.push(Number(/\d+$/.exec(response.headers.location as string)![0]));
    }
    const [ataturk, gazi, fatih] = ids as [number, number, number];
    const list = await request(t.app).get('/bulusmalar');
    for (const title of ['Atatürk buluşması', 'Gazi buluşması', 'Fatih buluşması']) expect(list.text).toContain(title);

    // 2. Residents sign up from their phones until the Atatürk meeting is full.
    const residents = [
      { name: 'Ayşe Yılmaz', email: 'ayse@example.org', meeting: ataturk },
      { name: 'Burak Şen', phone: '0532 111 11 11', meeting: ataturk },
      { name: 'Cemile Ak', email: 'cemile@example.org', meeting: ataturk },
      { name: 'Deniz Ür', email: 'deniz@example.org', meeting: gazi },
      { name: 'Emre Tan', phone: '0533 222 22 22', meeting: fatih },
    ];
    const links: Record<string, string> = {};
    for (const { meeting, ...resident } of residents) {
      const phone = request.agent(t.app).set('User-Agent', 'Mozilla/5.0 (Linux; Android 10; Mobile)');
      const page = await phone.get(`/bulusmalar/${meeting}`);
      const response = await phone.post(`/bulusmalar/${meeting}`).type('form').send({ ...signUpFields(page.text), phone: '', email: '', mahalle: meeting === ataturk ? 'ataturk' : meeting === gazi ? 'gazi' : 'fatih', ...resident });
      expect(response.status).toBe(303);
      links[resident.name] = response.headers.location as string;
    }
    expect((await request(t.app).get('/bulusmalar')).text).toContain('Yerler doldu, yedek liste açık');
    expect((await request(t.app).get(links['Cemile Ak']!)).text).toContain('Sıranız: 1.');

    // 3. Ayşe cancels from the link in her confirmation mail; Cemile gets the seat and a mail.
    await t.worker.runOnce();
    const ayseMail = t.sent.find((m) => m.to === 'ayse@example.org')!;
    const ayseLink = linkIn({ text: ayseMail.text } as never, `${TEST_BASE_URL}/bulusmalar/kayit/`).slice(TEST_BASE_URL.length);
    const ayse = request.agent(t.app);
    const page = await ayse.get(ayseLink);
    expect((await ayse.post(`${ayseLink}/iptal`).type('form').send({ _csrf: csrfFrom(page.text), confirm: 'yes' })).status).toBe(303);
    await t.worker.runOnce();
    expect(t.sent.filter((m) => m.to === 'cemile@example.org').map((m) => m.subject)).toEqual(['Yedek listedesiniz: Atatürk buluşması', 'Yer açıldı, kaydınız kesinleşti: Atatürk buluşması']);

    // 4. A day before the Atatürk meeting, its reminder goes out (by mail, or as a call to make).
    t.clock.now = new Date('2026-11-30T16:00:00.000Z');
    expect(await t.runJobs()).toEqual({ done: 1, failed: 0 });
    await t.worker.runOnce();
    expect(t.sent.filter((m) => m.subject === 'Hatırlatma: Atatürk buluşması').map((m) => m.to)).toEqual(['cemile@example.org']);
    const user = await addUser(t, 'planner');
    let planner2 = await logIn(t, user);
    expect((await planner2.get(`/admin/meetings/${ataturk}`)).text).toMatch(/Burak Şen<\/th><td><a href="tel:\+905321111111">0532\u00a0111\u00a011\u00a011<\/a><\/td><td>Yarınki buluşma hatırlatması/);

    // 5. At the door: Burak and Cemile are checked in, and one neighbour walks in.
    t.clock.now = new Date('2026-12-01T16:05:00.000Z');
    // A day later the session has expired: the planner logs in again.
    planner2 = await logIn(t, user);
    const registrations = await t.db.selectFrom('meeting_registrations').select(['id', 'name']).where('meeting_id', '=', ataturk).execute();
    for (const name of ['Burak Şen', 'Cemile Ak']) {
      const id = registrations.find((r) => r.name === name)!.id;
      expect((await postForm(planner2, `/admin/meetings/${ataturk}/check-in?q=${encodeURIComponent(name)}`, `/admin/meetings/${ataturk}/check-in/${id}`, { attended: '1' })).status).toBe(303);
    }
    await postForm(planner2, `/admin/meetings/${ataturk}/check-in`, `/admin/meetings/${ataturk}/walk-ins`, { name: 'Komşu Hanım', mahalle: 'ataturk' });

    // 6. The requests they raised.
    for (const [text, area, supporters] of [
      ['Okul önüne yaya geçidi', 'ulasim_trafik', '8'],
      ['Otobüs durağına sundurma', 'ulasim_trafik', '5'],
      ['Parktaki oyun alanı yenilensin', 'park_bahce', '11'],
    ]) {
      await postForm(planner2, `/admin/meetings/${ataturk}/outcomes`, `/admin/meetings/${ataturk}/requests`, { text: text!, area: area!, mahalle: 'ataturk', supporters: supporters!, gzft: '' });
    }

    // 7. The requests by activity area, for the plan's T15 and T15b.
    t.clock.now = new Date('2026-12-04T10:00:00.000Z');
    planner2 = await logIn(t, user);
    const outcomes = await planner2.get('/admin/meetings/outcomes');
    const t15 = /<table id="t15"[\s\S]*?<\/table>/.exec(outcomes.text)![0];
    expect(t15).toMatch(/Atatürk buluşması<\/th><td>[^<]+<\/td><td>Atatürk buluşması salonu<\/td><td>Atatürk<\/td><td class="num" data-value="2">2<\/td><td class="num" data-value="3">3<\/td><td class="num">–<\/td><td class="num" data-value="3">3<\/td><td>Ulaşım ve trafik düzenlemesi; Park, bahçe ve yeşil alanlar<\/td>/);
    const byArea = /<table id="by-area"[\s\S]*?<\/table>/.exec(outcomes.text)![0];
    expect(byArea).toMatch(/Ulaşım ve trafik düzenlemesi<\/th><td class="num" data-value="2">2<\/td><td class="num" data-value="66.7">66,7<\/td><td class="num" data-value="13">13/);
    expect(byArea).toMatch(/Park, bahçe ve yeşil alanlar<\/th><td class="num" data-value="1">1<\/td><td class="num" data-value="33.3">33,3<\/td><td class="num" data-value="11">11/);
    expect(t.logged).toEqual([]);
  } finally {
    await t.close();
  }
});
