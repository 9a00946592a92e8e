// The outbox in words: message kinds and what they are about, and only dates that mean something.
import { describeMessage, parseRef, stateLine } from '../../server/admin/outbox-words';
import { createI18n } from '../../server/platform/i18n/i18n';

const { translators } = createI18n();
const tr = translators.tr!;
const en = translators.en!;
const when = (iso: string) => `<${iso}>`;
const now = new Date('2026-11-21T10:00:00.000Z');
const pending = (next: string) => ({ status: 'pending', sent_at: null, next_attempt_at: next });

describe('describeMessage', () => {
  it('names the kind and the person and meeting or institution and survey it is about', () => {
    expect(describeMessage('meeting_confirmed', { type: 'registration', name: 'Ayşe Yılmaz', meeting: 'Cami Mah. buluşması' }, tr)).toBe('Buluşma kaydı onayı · Ayşe Yılmaz, Cami Mah. buluşması');
    expect(describeMessage('meeting_promoted', { type: 'registration', name: 'Ayşe Yılmaz', meeting: 'Cami' }, en)).toBe('Moved from waiting list notice · Ayşe Yılmaz, Cami');
    expect(describeMessage('reminder', { type: 'invitation', institution: 'Su İdaresi', survey: 'kurum-anketi' }, tr)).toBe('Kurum hatırlatması · Su İdaresi, kurum-anketi anketi');
    expect(describeMessage('login_failures', { type: 'user', name: 'Ayşe Planlamacı' }, tr)).toBe('Hatalı giriş uyarısı · Ayşe Planlamacı');
  });

  it('falls back to the kind alone when the record is gone, and to the code for an unknown kind', () => {
    expect(describeMessage('meeting_reminder', undefined, tr)).toBe('Buluşma hatırlatması');
    expect(describeMessage('something_new', undefined, en)).toBe('something_new');
  });

  it('reads refs of registrations, invitations and the login-failure mail', () => {
    expect(parseRef('meeting_confirmed', 'registration:1')).toEqual({ type: 'registration', id: 1 });
    expect(parseRef('invitation', 'invitation:77')).toEqual({ type: 'invitation', id: 77 });
    expect(parseRef('login_failures', '3')).toEqual({ type: 'user', id: 3 });
    expect(parseRef('invitation', '3')).toBeNull();
    expect(parseRef('receipt', null)).toBeNull();
  });
});

describe('stateLine', () => {
  it('gives a sent message its sending date and no next attempt', () => {
    expect(stateLine({ status: 'sent', sent_at: '2026-11-20T09:00:00.000Z', next_attempt_at: '2026-10-01T00:00:00.000Z' }, now, true, tr, when)).toBe('Gönderildi: <2026-11-20T09:00:00.000Z>');
  });

  it('says "now" for a pending message whose next attempt is past, and the date only when it lies ahead', () => {
    expect(stateLine(pending('2026-10-21T10:00:00.000Z'), now, true, tr, when)).toBe('Bekliyor; şimdi gönderilecek');
    expect(stateLine(pending('2026-11-21T10:04:00.000Z'), now, true, tr, when)).toBe('Bekliyor; sonraki deneme <2026-11-21T10:04:00.000Z>');
  });

  it('says a message held under a live lease is being sent right now, and forgets a lease run out', () => {
    const held = (until: string) => ({ ...pending('2026-10-21T10:00:00.000Z'), claimed_until: until });
    expect(stateLine(held('2026-11-21T10:05:00.000Z'), now, true, tr, when)).toBe('Şu anda gönderiliyor');
    expect(stateLine(held('2026-11-21T10:05:00.000Z'), now, true, en, when)).toBe('Being sent right now');
    expect(stateLine(held('2026-11-21T09:59:59.999Z'), now, true, tr, when)).toBe('Bekliyor; şimdi gönderilecek');
  });

  it('says a pending message goes as soon as SMTP is set, when it is not', () => {
    expect(stateLine(pending('2026-10-21T10:00:00.000Z'), now, false, en, when)).toBe('Waiting; will be sent as soon as SMTP is set');
    expect(stateLine({ status: 'cancelled', sent_at: null, next_attempt_at: '2026-10-21T10:00:00.000Z' }, now, false, tr, when)).toBe('İptal edildi (gönderilmeyecek)');
  });
});
