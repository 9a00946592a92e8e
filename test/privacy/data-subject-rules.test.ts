// Data-subject requests as pure rules: the 30-day deadline, where a request stands, the list order
// and contact details read however they were typed.
import { NOTICE_KINDS, REGISTRATION_STATUSES } from '../../server/meetings/meeting.table';
import { LANGUAGES, readLocales } from '../../server/platform/i18n/i18n';
import { CONSENT_PURPOSES } from '../../server/privacy';
import { deadlineOf, dueOn, inListOrder, subjectOf } from '../../server/privacy/data-subject-rules';
import { EXPORT_FIELDS, SECTIONS } from '../../server/privacy/data-subject.service';
import { REQUEST_CHANNELS, REQUEST_KINDS } from '../../server/privacy/data-subject.table';
import { ANONYMISED_KINDS, RETENTION_TRIGGERS } from '../../server/privacy/retention.table';

describe('dueOn', () => {
  it('is 30 days after the request was received (KVKK art. 13)', () => {
    expect(dueOn('2026-11-01')).toBe('2026-12-01');
    expect(dueOn('2026-02-10')).toBe('2026-03-12');
    expect(dueOn('2026-12-15')).toBe('2027-01-14');
  });
});

describe('deadlineOf', () => {
  const open = { due_on: '2026-12-01', answered_at: null };
  it('counts the days left, the last day, and the days late', () => {
    expect(deadlineOf(open, '2026-11-21')).toEqual({ kind: 'open', daysLeft: 10 });
    expect(deadlineOf(open, '2026-12-01')).toEqual({ kind: 'due_today' });
    expect(deadlineOf(open, '2026-12-04')).toEqual({ kind: 'overdue', daysLate: 3 });
  });

  it('has no deadline once answered', () => {
    expect(deadlineOf({ due_on: '2026-12-01', answered_at: '2026-12-10T10:00:00Z' }, '2026-12-20')).toEqual({ kind: 'answered' });
  });
});

describe('inListOrder', () => {
  it('puts open requests first, nearest deadline on top, then answered ones latest first', () => {
    const rows = [
      { id: 1, due_on: '2026-12-10', answered_at: '2026-11-30T10:00:00Z' },
      { id: 2, due_on: '2026-12-20', answered_at: null },
      { id: 3, due_on: '2026-12-05', answered_at: null },
      { id: 4, due_on: '2026-12-01', answered_at: '2026-12-01T10:00:00Z' },
    ];
    expect(inListOrder(rows).map((r) => r.id)).toEqual([3, 2, 4, 1]);
  });
});

describe('subjectOf', () => {
  it('reads one Turkish mobile number however it is written', () => {
    for (const spelling of ['0532 123 45 67', '+90 532 123 4567', '5321234567', '(0532) 123-45-67', '905321234567', '0090 532 123 45 67']) {
      expect(subjectOf({ phone: spelling })).toEqual({ subject: { email: null, phone: '+905321234567' }, errors: {} });
    }
  });

  it('lower-cases the e-mail address and reports what cannot be read', () => {
    expect(subjectOf({ email: ' Ayse.Yilmaz@Example.ORG ' }).subject.email).toBe('ayse.yilmaz@example.org');
    expect(subjectOf({ email: 'not-an-address', phone: '12' }).errors).toEqual({ email: true, phone: true });
    expect(subjectOf({ email: '', phone: '  ' })).toEqual({ subject: { email: null, phone: null }, errors: {} });
  });
});

describe('the export labels', () => {
  it('name every section and field of the findings, and every kind and channel, in both languages', () => {
    const resources = readLocales();
    for (const language of LANGUAGES) {
      const words = resources[language]!.privacy_admin as Record<string, Record<string, unknown>>;
      for (const section of SECTIONS) expect({ language, section, label: typeof words.sections![section] }).toEqual({ language, section, label: 'string' });
      for (const field of Object.values(EXPORT_FIELDS).flat()) expect({ language, field, label: typeof words.fields![field] }).toEqual({ language, field, label: 'string' });
      for (const kind of REQUEST_KINDS) expect(typeof words.kinds![kind]).toBe('string');
      for (const channel of REQUEST_CHANNELS) expect(typeof words.channels![channel]).toBe('string');
      for (const kind of ANONYMISED_KINDS) expect(typeof words.sections_count![`${kind}_other`]).toBe('string');
      for (const trigger of RETENTION_TRIGGERS) expect(typeof (words.retention!.triggers as Record<string, unknown>)[trigger]).toBe('string');
      for (const status of [...REGISTRATION_STATUSES, 'attended']) expect(typeof words.statuses![status]).toBe('string');
      for (const notice of NOTICE_KINDS) expect(typeof words.notices![notice]).toBe('string');
      for (const purpose of CONSENT_PURPOSES) expect(typeof words.purposes![purpose]).toBe('string');
    }
  });
});
