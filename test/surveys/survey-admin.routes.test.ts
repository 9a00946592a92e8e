import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { addUser, csrfFrom, logIn, postForm, type TestUser } from '../helpers/admin';
import { answerSection, encodeForm, hiddenFields, type Fields } from '../helpers/forms';
import { htmlProblems } from '../helpers/html';
import { completeSurvey, validSectionFields } from '../helpers/survey-walker';
import { createTestApp, FIXTURE_SURVEYS, type TestApp } from '../helpers/test-app';

let t: TestApp;
let planner: TestUser;
let agent: TestAgent;
beforeEach(async () => {
  t = await createTestApp({ surveysDir: FIXTURE_SURVEYS, now: new Date('2026-06-01T12:00:00+03:00') });
  planner = await addUser(t, 'planner', 'Ayşe Planlamacı');
  agent = await logIn(t, planner);
});
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

const fixture = () => t.catalog.find('tum-soru-tipleri')!;
/** Moves the clock on; the planner's idle session has then ended, so they log in again. */
async function laterOn(when: Date) {
  t.clock.now = when;
  agent = await logIn(t, planner);
}
const asText = (res: request.Response, done: (error: Error | null, body: string) => void) => {
  const stream = res as unknown as NodeJS.ReadableStream;
  let body = '';
  stream.on('data', (chunk: Buffer) => (body += chunk.toString()));
  stream.on('end', () => done(null, body));
};
const auditActions = async () => (await t.db.selectFrom('audit_events').select('action').orderBy('id').execute()).map((e) => e.action);

async function citizenResponse(fields: (index: number) => Record<string, string | string[]> = (i) => validSectionFields(fixture(), i)) {
  await completeSurvey(request.agent(t.app), fixture(), fields);
}

describe('the survey list', () => {
  it('shows each survey with its status, dates, complete and partial counts and last response', async () => {
    await citizenResponse();
    await citizenResponse();
    await answerSection(request.agent(t.app), '/anket/tum-soru-tipleri/1', validSectionFields(fixture(), 0));
    const page = await agent.get('/admin/surveys');
    expect(page.status).toBe(200);
    expect(await htmlProblems(page.text)).toEqual([]);
    const row = /<tr>\s*<td><a href="\/admin\/surveys\/tum-soru-tipleri">[\s\S]*?<\/tr>/.exec(page.text)![0];
    expect(row).toContain('<span class="status open">Açık</span>');
    expect(row).toContain('01.01.2026 00:00 – 31.12.2026 23:59');
    expect(row).toMatch(/<td class="num">2<\/td>\s*<td class="num">1<\/td>/);
    expect(row).toContain('01.06.2026 12:00');
  });
});

describe('opening, closing and rescheduling', () => {
  it('closes a survey now: the public page says closed, and it is in the audit log', async () => {
    const closed = await postForm(agent, '/admin/surveys/tum-soru-tipleri', '/admin/surveys/tum-soru-tipleri/close');
    expect(closed.headers.location).toBe('/admin/surveys/tum-soru-tipleri');
    expect((await request(t.app).get('/anket/tum-soru-tipleri')).status).toBe(410);
    expect(t.catalog.schedule('tum-soru-tipleri').closesAt).toBe(t.clock.now.toISOString());
    expect(await auditActions()).toContain('survey.closed');
    const page = await agent.get('/admin/surveys/tum-soru-tipleri');
    expect(page.text).toContain('Anket kapatıldı.');
    expect(page.text).toContain('<span class="status closed">Kapandı</span>');
  });

  it('opens a closed survey now until a date given in the municipality\'s time zone', async () => {
    await laterOn(new Date('2027-02-01T09:00:00+03:00'));
    expect((await request(t.app).get('/anket/tum-soru-tipleri')).status).toBe(410);
    const opened = await postForm(agent, '/admin/surveys/tum-soru-tipleri', '/admin/surveys/tum-soru-tipleri/open', { closes_at: '2027-03-01T18:30' });
    expect(opened.status).toBe(303);
    expect(t.catalog.schedule('tum-soru-tipleri')).toEqual({
      published: true,
      opensAt: '2027-02-01T06:00:00.000Z',
      closesAt: '2027-03-01T15:30:00.000Z',
    });
    expect((await request(t.app).get('/anket/tum-soru-tipleri')).status).toBe(200);
    const stored = await t.db.selectFrom('survey_schedules').selectAll().executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ slug: 'tum-soru-tipleri', published: 1, updated_by: planner.id });
  });

  it('changes dates, and refuses a closing before the opening without changing anything', async () => {
    const bad = await postForm(agent, '/admin/surveys/tum-soru-tipleri', '/admin/surveys/tum-soru-tipleri/schedule', {
      opens_at: '2026-07-01T09:00',
      closes_at: '2026-06-30T09:00',
      published: '1',
    });
    expect(bad.status).toBe(422);
    // The error stands in the dates form, and what was typed is still there.
    const datesForm = /<form method="post" action="\/admin\/surveys\/tum-soru-tipleri\/schedule"[\s\S]*?<\/form>/.exec(bad.text)![0];
    expect(datesForm).toContain('Kapanış, açılıştan sonra');
    expect(datesForm).toContain('value="2026-07-01T09:00"');
    expect(datesForm).toContain('value="2026-06-30T09:00"');
    expect(bad.text.replace(datesForm, '')).not.toContain('Kapanış, açılıştan sonra');
    expect(await t.db.selectFrom('survey_schedules').selectAll().execute()).toEqual([]);
    const good = await postForm(agent, '/admin/surveys/tum-soru-tipleri', '/admin/surveys/tum-soru-tipleri/schedule', {
      opens_at: '2026-07-01T09:00',
      closes_at: '2026-08-31T23:59',
      published: '1',
    });
    expect(good.status).toBe(303);
    const notYet = await request(t.app).get('/anket/tum-soru-tipleri');
    expect(notYet.status).toBe(403);
    expect(notYet.text).toContain('01.07.2026 09:00');
    const garbage = await postForm(agent, '/admin/surveys/tum-soru-tipleri', '/admin/surveys/tum-soru-tipleri/schedule', { opens_at: 'yarın', closes_at: '' });
    expect(garbage.status).toBe(422);
  });
});

describe('the schedule actions offered, by status', () => {
  /** The headings of the forms that change the schedule, in order. */
  const offered = async () => {
    const page = await agent.get('/admin/surveys/tum-soru-tipleri');
    const found = [...page.text.matchAll(/<form method="post" action="\/admin\/surveys\/tum-soru-tipleri\/(open|close|schedule)"/g)].map((m) => m[1]);
    return { status: /<span class="status (\w+)">/.exec(page.text)![1], forms: found, text: page.text };
  };
  const reschedule = (fields: Record<string, string>) => postForm(agent, '/admin/surveys/tum-soru-tipleri', '/admin/surveys/tum-soru-tipleri/schedule', fields);

  it('offers an open survey closing and new dates, not "Şimdi aç"', async () => {
    const { status, forms, text } = await offered();
    expect({ status, forms }).toEqual({ status: 'open', forms: ['close', 'schedule'] });
    expect(text).not.toContain('Şimdi aç');
    expect(text).toContain('Şimdi kapat');
  });

  it('offers a closed survey reopening and new dates, not "Şimdi kapat"', async () => {
    await laterOn(new Date('2027-02-01T09:00:00+03:00'));
    const { status, forms, text } = await offered();
    expect({ status, forms }).toEqual({ status: 'closed', forms: ['open', 'schedule'] });
    expect(text).not.toContain('Şimdi kapat');
  });

  it('offers a survey that opens later opening now and new dates, not closing', async () => {
    expect((await reschedule({ opens_at: '2026-07-01T09:00', closes_at: '2026-08-31T23:59', published: '1' })).status).toBe(303);
    expect(await offered()).toMatchObject({ status: 'scheduled', forms: ['open', 'schedule'] });
  });

  it('offers a draft opening now and new dates, not closing', async () => {
    expect((await reschedule({ opens_at: '2026-05-01T09:00', closes_at: '2026-08-31T23:59' })).status).toBe(303);
    expect(await offered()).toMatchObject({ status: 'draft', forms: ['open', 'schedule'] });
  });
});

describe('sharing', () => {
  it('offers the public link and a QR code that encodes it, as SVG, and a printable poster', async () => {
    const page = await agent.get('/admin/surveys/tum-soru-tipleri');
    expect(page.text).toContain('href="https://katilim.example.org/anket/tum-soru-tipleri"');
    expect(await htmlProblems(page.text)).toEqual([]);
    const qr = await agent.get('/admin/surveys/tum-soru-tipleri/qr.svg').buffer(true).parse(asText);
    expect(qr.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(qr.body).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(qr.body).toContain('<path');
    const poster = await agent.get('/admin/surveys/tum-soru-tipleri/poster');
    expect(poster.text).toContain('https://katilim.example.org/anket/tum-soru-tipleri');
    expect(poster.text).toContain('<svg');
  });
});

describe('uploading a survey definition', () => {
  const upload = async (content: string | Buffer, name = 'yeni-anket.json') => {
    const page = await agent.get('/admin/surveys/upload');
    const token = /action="\/admin\/surveys\/upload\?_csrf=([^"]+)"/.exec(page.text)![1]!;
    const posted = await agent.post(`/admin/surveys/upload?_csrf=${token}`).attach('definition', Buffer.from(content), name);
    // A refused upload comes back to the form (without the token in its address) with its problems.
    if (posted.status === 303 && posted.headers.location === '/admin/surveys/upload') return agent.get('/admin/surveys/upload');
    return posted;
  };
  const definition = (change: (survey: any) => void = () => {}) => {
    const survey = JSON.parse(fs.readFileSync(path.join(FIXTURE_SURVEYS, 'tum-soru-tipleri.json'), 'utf8'));
    survey.slug = 'yeni-anket';
    change(survey);
    return JSON.stringify(survey);
  };

  it('adds a valid survey as a draft that the public cannot see until it is opened', async () => {
    const response = await upload(definition());
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/admin/surveys/yeni-anket');
    const page = await agent.get('/admin/surveys/yeni-anket');
    expect(page.text).toContain('“yeni-anket” anketi taslak olarak eklendi.');
    expect(page.text).toContain('<span class="status draft">Taslak</span>');
    expect((await request(t.app).get('/anket/yeni-anket')).status).toBe(404);
    await postForm(agent, '/admin/surveys/yeni-anket', '/admin/surveys/yeni-anket/open', { closes_at: '2026-12-01T00:00' });
    expect((await request(t.app).get('/anket/yeni-anket')).status).toBe(200);
    expect(await auditActions()).toEqual(expect.arrayContaining(['survey.uploaded', 'survey.opened']));
  });

  it('refuses an invalid file, listing each problem by path, and changes nothing', async () => {
    const response = await upload(
      definition((s) => {
        s.audience = 'herkes';
        s.sections[0].questions[1].maxSelections = 'iki';
      }),
    );
    expect(response.status).toBe(422);
    expect(response.text).toContain('Dosyada 2 sorun var; hiçbir şey değiştirilmedi');
    expect(response.text).toContain('<code>$.audience</code>');
    expect(response.text).toContain('<code>$.sections[0].questions[1].maxSelections</code>');
    expect(t.catalog.find('yeni-anket')).toBeUndefined();
    expect(await t.db.selectFrom('uploaded_surveys').selectAll().execute()).toEqual([]);
    expect(await htmlProblems(response.text)).toEqual([]);
  });

  it('takes the form token from the address only on the upload form, and nothing is stored without it', async () => {
    const page = await agent.get('/admin/surveys/upload');
    const token = /action="\/admin\/surveys\/upload\?_csrf=([^"]+)"/.exec(page.text)![1]!;
    const without = await agent.post('/admin/surveys/upload').attach('definition', Buffer.from(definition()), 'yeni-anket.json');
    expect(without.status).toBe(403);
    const elsewhere = await agent.post(`/admin/surveys/tum-soru-tipleri/close?_csrf=${token}`).attach('definition', Buffer.from('x'), 'x.json');
    expect(elsewhere.status).toBe(403);
    expect(await t.db.selectFrom('uploaded_surveys').selectAll().execute()).toEqual([]);
    expect(await t.db.selectFrom('survey_schedules').selectAll().execute()).toEqual([]);
  });

  it('refuses what is not JSON, a file too large, and a slug that belongs to a file survey', async () => {
    expect((await upload('<svg onload=alert(1)>')).status).toBe(422);
    expect((await upload(Buffer.alloc(1024 * 1024 + 1, 0x20))).status).toBe(413);
    const taken = await upload(definition((s) => (s.slug = 'tum-soru-tipleri')));
    expect(taken.status).toBe(422);
    expect(taken.text).toContain('<code>$.slug</code>: “tum-soru-tipleri” anketi sunucudaki bir dosyada tanımlı; başka bir adres adı (slug) seçin.');
  });

  it('replaces an uploaded survey, but not in a way that strands stored answers', async () => {
    await upload(definition());
    await postForm(agent, '/admin/surveys/yeni-anket', '/admin/surveys/yeni-anket/open', { closes_at: '2026-12-01T00:00' });
    const survey = t.catalog.find('yeni-anket')!;
    await completeSurvey(request.agent(t.app), survey, (i) => validSectionFields(survey, i));
    const stranding = await upload(definition((s) => (s.sections[0].questions[1].options = s.sections[0].questions[1].options.filter((o: any) => o.id !== 'otobus'))));
    expect(stranding.status).toBe(422);
    expect(stranding.text).toContain('“ulasim” sorusunun “otobus” seçeneği kaldırılmış ya da değiştirilmiş, ama 1 kayıtlı yanıt bunu kullanıyor');
    const adding = await upload(definition((s) => s.sections[2].questions.push({ kind: 'short_text', id: 'ek_soru', text: { tr: 'Ek soru' } })));
    expect(adding.status).toBe(303);
    expect(t.catalog.find('yeni-anket')!.sections[2]!.questions.map((q) => q.id)).toContain('ek_soru');
    expect(t.catalog.schedule('yeni-anket').published).toBe(true);
  });
});

describe('preview', () => {
  it('walks through the pages with validation and conditions, storing nothing', async () => {
    const survey = fixture();
    const first = await agent.get('/admin/surveys/tum-soru-tipleri/preview').redirects(1);
    expect(first.text).toContain('Önizleme: yanıtlar kaydedilmez.');
    const invalid = await agent.post('/admin/surveys/tum-soru-tipleri/preview/1').type('form').send(encodeForm({ ...hiddenFields(first.text), _nav: 'next' }));
    expect(invalid.status).toBe(422);
    let url = '/admin/surveys/tum-soru-tipleri/preview/1';
    for (let i = 0; i < 4 && !url.endsWith('done'); i++) {
      const page = await agent.get(url);
      const posted = await agent.post(url).type('form').send(encodeForm({ ...hiddenFields(page.text), _nav: 'next', ...validSectionFields(survey, i) }));
      if (posted.status === 200) {
        expect(posted.text).toContain('Önizleme tamamlandı');
        url = 'done';
      } else {
        url = posted.headers.location!;
      }
    }
    expect(url).toBe('done');
    expect(await t.db.selectFrom('responses').selectAll().execute()).toEqual([]);
  });
});

describe('paper and face-to-face entry', () => {
  /** Opens a new blank questionnaire: its address carries the form's own key. */
  async function newForm(channel: string) {
    const start = await agent.get(`/admin/surveys/tum-soru-tipleri/entry/${channel}`);
    expect(start.status).toBe(303);
    expect(start.headers.location).toMatch(new RegExp(`^/admin/surveys/tum-soru-tipleri/entry/${channel}/[A-Za-z0-9_-]{22}/1$`));
    return start.headers.location!;
  }

  it('stores a response with the channel and the planner, then opens a blank form at once', async () => {
    const survey = fixture();
    let url = await newForm('paper');
    const base = url.replace(/\/1$/, '');
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      const page = await agent.get(url);
      expect(page.text).toContain('Veri girişi – Kâğıt anket (giren: Ayşe Planlamacı)');
      seen.push(url);
      const posted = await agent.post(url).type('form').send(encodeForm({ ...hiddenFields(page.text), _nav: 'next', ...validSectionFields(survey, i) }));
      expect(posted.status).toBe(303);
      url = posted.headers.location!;
      if (!url.startsWith(base)) break;
    }
    expect(url).toMatch(/^\/admin\/surveys\/tum-soru-tipleri\/entry\/paper\/[A-Za-z0-9_-]{22}\/1$/);
    expect(url.startsWith(base)).toBe(false);
    const blank = await agent.get(url);
    expect(blank.text).toMatch(/Yanıt #\d+ kaydedildi. Yeni boş form açıldı./);
    expect(blank.text).not.toContain('checked');
    const [stored] = await t.db.selectFrom('responses').selectAll().execute();
    expect(stored).toMatchObject({ status: 'complete', channel: 'paper', entered_by: planner.id });
    expect(seen).toHaveLength(4);
    // Going back to the finished form's address opens a new one rather than the stored answers.
    expect((await agent.get(`${base}/1`)).headers.location).toMatch(/\/entry\/paper\/[A-Za-z0-9_-]{22}\/1$/);
  });

  it('keeps text typed in a "Diğer" box without the tick, as "Diğer", like the public pages', async () => {
    const survey = fixture();
    const url = await newForm('paper');
    const page = await agent.get(url);
    const first: Fields = { ...validSectionFields(survey, 0), 'renk.other': 'Turuncu', ulasim: ['metro'], 'ulasim.other': 'Vapur' };
    delete first.renk;
    const posted = await agent.post(url).type('form').send(encodeForm({ ...hiddenFields(page.text), _nav: 'next', ...first }));
    expect(posted.status).toBe(303);
    const [draft] = await t.db.selectFrom('responses').select('draft_fields').execute();
    expect(JSON.parse(draft!.draft_fields!)).toMatchObject({ 'renk.other': 'Turuncu', 'ulasim.other': 'Vapur' });
    // The page shows both "Diğer" boxes as chosen.
    const again = await agent.get(url);
    expect(again.text).toMatch(/name="renk" value="other" checked/);
    expect(again.text).toMatch(/name="ulasim" value="other" checked/);
    let next = posted.headers.location!;
    for (const fields of [validSectionFields(survey, 1), validSectionFields(survey, 2), { renk_nedeni: 'Sıcak' }]) {
      const form = await agent.get(next);
      next = (await agent.post(next).type('form').send(encodeForm({ ...hiddenFields(form.text), _nav: 'next', ...fields }))).headers.location!;
    }
    const [stored] = await t.db.selectFrom('responses').select(['id', 'status']).execute();
    expect(stored!.status).toBe('complete');
    const rows = await t.db.selectFrom('answers').select(['question_id', 'option_id', 'text']).where('response_id', '=', stored!.id).where('option_id', '=', 'other').orderBy('id').execute();
    expect(rows).toEqual([
      { question_id: 'renk', option_id: 'other', text: 'Turuncu' },
      { question_id: 'ulasim', option_id: 'other', text: 'Vapur' },
    ]);
  });

  it('keeps two questionnaires typed in two tabs apart', async () => {
    const survey = fixture();
    const [tabA, tabB] = [await newForm('paper'), await newForm('paper')];
    for (const [url, mahalle] of [
      [tabA, 'cami'],
      [tabB, 'merkez'],
    ] as const) {
      const page = await agent.get(url);
      await agent.post(url).type('form').send(encodeForm({ ...hiddenFields(page.text), _nav: 'next', ...validSectionFields(survey, 0), mahalle }));
    }
    const drafts = await t.db.selectFrom('responses').select('draft_fields').orderBy('id').execute();
    expect(drafts.map((d) => JSON.parse(d.draft_fields!).mahalle)).toEqual(['cami', 'merkez']);
    expect((await agent.get(tabA)).text).toMatch(/<option value="cami" selected>/);
  });

  it('works for face-to-face interviews even after the survey closed, and keeps two channels apart', async () => {
    await laterOn(new Date('2027-02-01T09:00:00+03:00'));
    const survey = fixture();
    const url = await newForm('face_to_face');
    const page = await agent.get(url);
    expect(page.status).toBe(200);
    await agent.post(url).type('form').send(encodeForm({ ...hiddenFields(page.text), _nav: 'next', ...validSectionFields(survey, 0) }));
    const paper = await agent.get(await newForm('paper'));
    expect(paper.text).not.toContain('checked');
    const drafts = await t.db.selectFrom('responses').select(['channel', 'status']).execute();
    expect(drafts).toEqual([{ channel: 'face_to_face', status: 'draft' }]);
    expect((await agent.get('/admin/surveys/tum-soru-tipleri/entry/fax')).status).toBe(404);
    expect((await agent.get('/admin/surveys/tum-soru-tipleri/entry/paper/kisa/1')).status).toBe(404);
  });

  it('is not open to viewers, who may not read responses, preview or export either', async () => {
    const viewer = await logIn(t, await addUser(t, 'viewer'));
    for (const url of [
      '/admin/surveys/tum-soru-tipleri/entry/paper',
      '/admin/surveys/tum-soru-tipleri/preview',
      '/admin/surveys/tum-soru-tipleri/responses',
      '/admin/surveys/tum-soru-tipleri/export/responses.csv',
      '/admin/surveys/tum-soru-tipleri/export/responses.xlsx',
      '/admin/surveys/tum-soru-tipleri/export/results.xlsx',
      '/admin/surveys/upload',
      '/admin/users',
      '/admin/audit',
    ]) {
      expect({ url, status: (await viewer.get(url)).status }).toEqual({ url, status: 403 });
    }
  });
});

describe('responses', () => {
  it('filters by channel, status, date and a profile answer, and opens one in words', async () => {
    await citizenResponse((i) => (i === 0 ? { ...validSectionFields(fixture(), 0), mahalle: 'cami' } : validSectionFields(fixture(), i)));
    await laterOn(new Date('2026-06-03T12:00:00+03:00'));
    await citizenResponse();
    await answerSection(request.agent(t.app), '/anket/tum-soru-tipleri/1', validSectionFields(fixture(), 0));
    const ids = (await t.db.selectFrom('responses').select('id').orderBy('id').execute()).map((r) => r.id);

    const list = async (query: string) => {
      const page = await agent.get(`/admin/surveys/tum-soru-tipleri/responses${query}`);
      expect(page.status).toBe(200);
      return [...page.text.matchAll(/responses\/(\d+)">/g)].map((m) => Number(m[1]));
    };
    expect(await list('')).toEqual([...ids].reverse());
    expect(await list('?status=complete')).toEqual([ids[1], ids[0]]);
    expect(await list('?status=draft')).toEqual([ids[2]]);
    expect(await list('?answer=mahalle%3Dcami')).toEqual([ids[0]]);
    expect(await list('?from=2026-06-02')).toEqual([ids[2], ids[1]]);
    expect(await list('?to=2026-06-01')).toEqual([ids[0]]);
    expect(await list('?channel=paper')).toEqual([]);
    expect(await list('?channel=fax&answer=x%27%3B--')).toEqual([...ids].reverse());

    const one = await agent.get(`/admin/surveys/tum-soru-tipleri/responses/${ids[0]}`);
    expect(one.text).toContain('<th scope="row">Mahalleniz</th><td><div>Cami</div></td>');
    expect(one.text).toContain('<div>Temizlik: 1 – Çok kötü</div>');
    expect(await htmlProblems(one.text)).toEqual([]);
    expect((await agent.get('/admin/surveys/tum-soru-tipleri/responses/999999')).status).toBe(404);
  });

  it('excludes a response with a reason, keeps it stored, and restores it', async () => {
    await citizenResponse();
    const { id } = await t.db.selectFrom('responses').select('id').executeTakeFirstOrThrow();
    const page = `/admin/surveys/tum-soru-tipleri/responses/${id}`;
    const excluded = await postForm(agent, page, `${page}/exclude`, { reason: 'duplicate', note: 'Aynı kişi iki kez doldurdu' });
    expect(excluded.status).toBe(303);
    expect(await t.db.selectFrom('responses').select(['status', 'excluded_by', 'exclusion_reason', 'exclusion_note']).executeTakeFirst()).toEqual({
      status: 'complete',
      excluded_by: planner.id,
      exclusion_reason: 'duplicate',
      exclusion_note: 'Aynı kişi iki kez doldurdu',
    });
    expect((await agent.get('/admin/surveys')).text).toMatch(/<td class="num">0<\/td>/);
    expect((await agent.get(page)).text).toContain('Mükerrer: Aynı kişi iki kez doldurdu');
    const bad = await postForm(agent, page, `${page}/exclude`, { reason: 'canim-istedi' });
    expect(bad.status).toBe(422);
    await postForm(agent, page, `${page}/restore`);
    expect(await t.db.selectFrom('responses').select(['excluded_at', 'exclusion_reason']).executeTakeFirst()).toEqual({ excluded_at: null, exclusion_reason: null });
    expect(await auditActions()).toEqual(expect.arrayContaining(['response.excluded', 'response.restored']));
    // The audit log says it in a sentence that links to the survey and the response.
    const log = (await (await logIn(t, await addUser(t, 'admin'))).get('/admin/audit')).text;
    expect(log).toContain(
      `Ayşe Planlamacı, <a href="/admin/surveys/tum-soru-tipleri">tum-soru-tipleri</a> anketindeki <a href="/admin/surveys/tum-soru-tipleri/responses/${id}">#${id}</a> yanıtını hariç tuttu`,
    );
    expect(log).toContain('Not: Aynı kişi iki kez doldurdu');
    expect(await htmlProblems(log)).toEqual([]);
    const token = csrfFrom((await agent.get(page)).text);
    const draft = await agent.post('/admin/surveys/tum-soru-tipleri/responses/424242/exclude').type('form').send({ _csrf: token, reason: 'test' });
    expect(draft.status).toBe(404);
  });
});
