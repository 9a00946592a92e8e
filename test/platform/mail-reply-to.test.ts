// Every mail answers to the municipality: "Reply" in a resident's or an institution's mail
// program goes to the contact address in the footer (surveys/municipality.json), never to the
// no-reply sender. Read from what a real SMTP server received.
import request from 'supertest';
import { invitedInstitution } from '../helpers/invitation';
import { scheduleMeeting, signUp } from '../helpers/meetings';
import { createTestSmtp, type TestSmtp } from '../helpers/smtp';
import { createTestApp, type TestApp } from '../helpers/test-app';

let smtp: TestSmtp;
let t: TestApp;
beforeEach(async () => {
  smtp = await createTestSmtp();
  t = await createTestApp({ smtpPort: smtp.port });
});
afterEach(async () => {
  await t.close();
  await smtp.stop();
});

it("sets Reply-To to the municipality's contact address on a meeting confirmation and an institution invitation", async () => {
  expect(t.catalog.municipality.contact.email).toBe('strateji@example.org');
  const id = await scheduleMeeting(t);
  await signUp(request.agent(t.app), id, { name: 'Ayşe Yılmaz', email: 'ayse@example.org' });
  await invitedInstitution(t, { mailed: false });
  expect(await t.worker.runOnce()).toEqual({ sent: 2, failed: 0 });

  const confirmation = smtp.received.find((m) => m.subject?.startsWith('Kaydınız alındı'));
  const invitation = smtp.received.find((m) => m.to && !Array.isArray(m.to) && m.to.text === 'oda@example.org');
  expect(confirmation).toBeDefined();
  expect(invitation).toBeDefined();
  for (const mail of [confirmation!, invitation!]) {
    expect(mail.headers.get('reply-to')).toBeDefined();
    expect(mail.replyTo?.value.map((a) => a.address)).toEqual(['strateji@example.org']);
    // The sender stays the no-reply address; only replies are redirected.
    expect(mail.from?.value[0]?.address).toBe('no-reply@katilim.example.org');
  }
});
