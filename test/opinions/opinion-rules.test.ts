// The pure parts of the consultation: the record (T14), tracking, letters, known answers, tokens.
import { groupRecords, institutionRecords, type RecordInvitation } from '../../server/opinions/consultation-record';
import { draftTokenOf, knownAnswers, newToken, receiptReference } from '../../server/opinions/invitation.service';
import { countByGroup, invitationDeadline, lastOpenDay, sortInvitees, selfRegistrationDeadline, selfRegistrationTarget, type KnownAddress } from '../../server/opinions/invitation-rules';
import { receiptMailState, trackInvitation } from '../../server/opinions/invitation-tracking';
import { letterFileName } from '../../server/opinions/opinion-letter';
import { STAKEHOLDER_GROUPS } from '../../server/stakeholders';
import { loadCatalog } from '../../server/surveys';
import { BUNDLED_SURVEYS } from '../helpers/test-app';

let nextId = 1;
function invitation(overrides: Partial<RecordInvitation> & Pick<RecordInvitation, 'stakeholder_id' | 'stakeholderName' | 'stakeholderGroup'>): RecordInvitation {
  return {
    id: nextId++,
    created_at: '2026-11-21T07:00:00.000Z',
    reminder_count: 0,
    reminded_at: null,
    submitted_at: null,
    revoked_at: null,
    response_id: null,
    self_registered: 0,
    ...overrides,
  };
}

describe('the consultation record', () => {
  const university = { stakeholder_id: 1, stakeholderName: 'Yeşilvadi Üniversitesi', stakeholderGroup: 'universite' };
  const chamber = { stakeholder_id: 2, stakeholderName: 'Mimarlar Odası', stakeholderGroup: 'meslek_odasi' };
  const doctors = { stakeholder_id: 3, stakeholderName: 'Tabip Odası', stakeholderGroup: 'meslek_odasi' };
  const ngo = { stakeholder_id: 4, stakeholderName: 'Çevre Derneği', stakeholderGroup: 'stk' };
  const selfOnly = { stakeholder_id: 5, stakeholderName: 'Gençlik Derneği', stakeholderGroup: 'stk' };

  const invitations = [
    invitation({ ...university, submitted_at: '2026-11-25T08:00:00.000Z', response_id: 11, reminder_count: 1, reminded_at: '2026-11-24T08:00:00.000Z' }),
    // Revoked (wrong address) and invited again: one institution, reminders added up.
    invitation({ ...chamber, revoked_at: '2026-11-22T08:00:00.000Z', reminder_count: 1, reminded_at: '2026-11-21T09:00:00.000Z' }),
    invitation({ ...chamber, created_at: '2026-11-22T08:00:00.000Z', reminder_count: 2, reminded_at: '2026-12-01T08:00:00.000Z' }),
    // Revoked and never answered: not counted as invited.
    invitation({ ...doctors, revoked_at: '2026-11-23T08:00:00.000Z' }),
    // Answered, then its invitation was revoked: it still answered.
    invitation({ ...ngo, submitted_at: '2026-11-26T08:00:00.000Z', response_id: 12, revoked_at: '2026-11-27T08:00:00.000Z' }),
    invitation({ ...selfOnly, self_registered: 1, submitted_at: '2026-11-28T08:00:00.000Z', response_id: 13 }),
  ];

  it('has one row per institution, in the register group order, with its first invitation and all reminders', () => {
    const records = institutionRecords(invitations, new Map([[invitations[0]!.id, 2]]), STAKEHOLDER_GROUPS);
    expect(records.map((r) => [r.name, r.status, r.reminders, r.invitedAt.slice(0, 10), r.answeredAt?.slice(0, 10) ?? null, r.responseId, r.selfRegistered, r.letters])).toEqual([
      ['Yeşilvadi Üniversitesi', 'answered', 1, '2026-11-21', '2026-11-25', 11, false, 2],
      ['Mimarlar Odası', 'not_answered', 3, '2026-11-21', null, null, false, 0],
      ['Tabip Odası', 'revoked', 0, '2026-11-21', null, null, false, 0],
      ['Çevre Derneği', 'answered', 0, '2026-11-21', '2026-11-26', 12, false, 0],
      ['Gençlik Derneği', 'answered', 0, '2026-11-21', '2026-11-28', 13, true, 0],
    ]);
    expect(records[1]!.lastRemindedAt).toBe('2026-12-01T08:00:00.000Z');
  });

  it('counts per group the invited, those of them who answered and the rate; self-registered apart', () => {
    const { groups, total } = groupRecords(institutionRecords(invitations, new Map(), STAKEHOLDER_GROUPS), STAKEHOLDER_GROUPS);
    expect(groups).toEqual([
      { group: 'universite', invited: 1, answered: 1, rate: 1, selfAnswered: 0 },
      { group: 'meslek_odasi', invited: 1, answered: 0, rate: 0, selfAnswered: 0 },
      { group: 'stk', invited: 1, answered: 1, rate: 1, selfAnswered: 1 },
    ]);
    expect(total).toEqual({ group: 'total', invited: 3, answered: 2, rate: 2 / 3, selfAnswered: 1 });
  });

  it('takes the latest answer when an institution answered through two invitations (its own request merged in)', () => {
    const records = institutionRecords([
      invitation({ ...university, submitted_at: '2026-11-25T08:00:00.000Z', response_id: 21 }),
      invitation({ ...university, self_registered: 1, submitted_at: '2026-11-29T08:00:00.000Z', response_id: 22 }),
    ]);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ responseId: 22, selfRegistered: false, status: 'answered' });
  });

  it('has no rate for a group nobody was invited from, and leaves out empty groups', () => {
    const { groups, total } = groupRecords(institutionRecords([invitation({ ...selfOnly, self_registered: 1 })]), STAKEHOLDER_GROUPS);
    expect(groups).toEqual([]);
    expect(total.rate).toBeNull();
  });
});

describe('tracking an invitation', () => {
  const base = { id: 7, opened_at: null, draft_saved_at: null, submitted_at: null, revoked_at: null };
  const mail = (kind: string, status: string, sent_at: string | null, ref = 'invitation:7') => ({ kind, ref, status, sent_at });

  it('reaches the furthest step, from queued to submitted; revoked overrides', () => {
    expect(trackInvitation(base, [mail('invitation', 'pending', null)])).toEqual({ step: 'queued', deliveredAt: null, waiting: 1 });
    expect(trackInvitation(base, [mail('invitation', 'sent', '2026-11-21T08:00:00Z'), mail('invitation', 'sent', '2026-11-20T08:00:00Z'), mail('invitation', 'sent', '2026-11-19T08:00:00Z', 'invitation:8')])).toEqual({
      step: 'delivered',
      deliveredAt: '2026-11-20T08:00:00Z',
      waiting: 0,
    });
    expect(trackInvitation({ ...base, opened_at: 'x' }, []).step).toBe('opened');
    expect(trackInvitation({ ...base, opened_at: 'x', draft_saved_at: 'y' }, []).step).toBe('draft');
    expect(trackInvitation({ ...base, opened_at: 'x', draft_saved_at: 'y', submitted_at: 'z' }, []).step).toBe('submitted');
    expect(trackInvitation({ ...base, submitted_at: 'z', revoked_at: 'r' }, []).step).toBe('revoked');
    // A reminder delivered is not the invitation delivered.
    expect(trackInvitation(base, [mail('reminder', 'sent', '2026-11-21T08:00:00Z')]).deliveredAt).toBeNull();
  });
});

describe('official letters', () => {
  it('keep a readable name without folders or control characters, always ending .pdf', () => {
    expect(letterFileName('../../etc/passwd')).toBe('passwd.pdf');
    expect(letterFileName('C:\\Belgeler\\Görüş Yazısı.PDF')).toBe('Görüş Yazısı.pdf');
    expect(letterFileName('a\u0000b"<c>|.pdf')).toBe('abc.pdf');
    expect(letterFileName('.pdf')).toBe('yazi.pdf');
    expect(letterFileName('x'.repeat(300) + '.pdf')).toHaveLength(114);
  });
});

describe('invitation links and answers known beforehand', () => {
  const survey = loadCatalog(BUNDLED_SURVEYS).surveys.find((s) => s.slug === 'kurum-gorus-formu')!;

  it('tokens carry 128 random bits and are stored only as a hash', () => {
    const a = newToken();
    const b = newToken();
    expect(Buffer.from(a.token, 'base64url')).toHaveLength(16);
    expect(a.token).not.toBe(b.token);
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.hash).not.toContain(a.token);
  });

  it('gives each version of an invitation its own draft token', () => {
    const secret = 's'.repeat(40);
    expect(draftTokenOf(secret, { id: 1, version: 1 })).not.toBe(draftTokenOf(secret, { id: 1, version: 2 }));
    expect(draftTokenOf(secret, { id: 1, version: 1 })).not.toBe(draftTokenOf(secret, { id: 2, version: 1 }));
    expect(draftTokenOf(secret, { id: 1, version: 1 })).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("answers the institution type question through the form's registerMap; a group it does not name is asked", () => {
    expect(knownAnswers(survey, 'universite')).toEqual({ kurum_turu: 'universite' });
    expect(knownAnswers(survey, 'diger')).toEqual({ kurum_turu: 'diger' });
    // Not silently "Diğer": no answer, so the question is shown.
    expect(knownAnswers(survey, 'vatandas_grubu')).toEqual({});
    expect(knownAnswers(survey, 'constructor')).toEqual({});
    expect(knownAnswers({ ...survey, sections: [] }, 'universite')).toEqual({});
    // Without a map nothing is known beforehand.
    const unmapped = {
      ...survey,
      sections: survey.sections.map((section) => ({
        ...section,
        questions: section.questions.map((q) => (q.id === 'kurum_turu' ? { ...q, registerMap: undefined } : q)),
      })),
    };
    expect(knownAnswers(unmapped, 'universite')).toEqual({});
  });

  it('quotes a reference made of the year and the response number', () => {
    expect(receiptReference(42, '2026-11-21T07:00:00.000Z')).toBe('PD-2026-000042');
  });
});

describe('the deadline a planner picks', () => {
  const zone = 'Europe/Istanbul';
  const closesAt = '2027-12-31T23:59:00+03:00';
  const now = new Date('2026-11-21T07:00:00Z');

  it('takes the closing day of a form that closes at 23:59, and ends with the form', () => {
    expect(invitationDeadline('2027-12-31', closesAt, zone, now)).toEqual({ kind: 'ok', deadline: '2027-12-31T20:59:00.000Z' });
  });

  it('ends an earlier day at its last second in the municipality time zone', () => {
    expect(invitationDeadline('2026-12-15', closesAt, zone, now)).toEqual({ kind: 'ok', deadline: '2026-12-15T20:59:59.000Z' });
  });

  it('compares calendar days in the zone, not instants: a form closing at 00:30 still allows that day', () => {
    // 00:30 Istanbul on 1 January is 31 December in UTC: the day that counts is the 1st.
    expect(invitationDeadline('2028-01-01', '2028-01-01T00:30:00+03:00', zone, now)).toEqual({ kind: 'ok', deadline: '2027-12-31T21:30:00.000Z' });
    expect(invitationDeadline('2028-01-02', '2028-01-01T00:30:00+03:00', zone, now)).toEqual({ kind: 'after_close' });
  });

  it('gives no day of which the form is open for no time: a form closing at midnight ends the day before', () => {
    const midnight = '2028-01-01T00:00:00+03:00';
    expect(lastOpenDay(midnight, zone)).toBe('2027-12-31');
    expect(lastOpenDay(closesAt, zone)).toBe('2027-12-31');
    expect(invitationDeadline('2027-12-31', midnight, zone, now)).toEqual({ kind: 'ok', deadline: '2027-12-31T20:59:59.000Z' });
    expect(invitationDeadline('2028-01-01', midnight, zone, now)).toEqual({ kind: 'after_close' });
  });

  it('refuses the day after closing, a day already over, and dates that do not exist', () => {
    expect(invitationDeadline('2028-01-01', closesAt, zone, now)).toEqual({ kind: 'after_close' });
    expect(invitationDeadline('2026-11-20', closesAt, zone, now)).toEqual({ kind: 'past' });
    expect(invitationDeadline('2026-11-21', closesAt, zone, now)).toEqual({ kind: 'ok', deadline: '2026-11-21T20:59:59.000Z' });
    expect(invitationDeadline('2026-02-30', closesAt, zone, now)).toEqual({ kind: 'invalid' });
    expect(invitationDeadline('2026-13-01', closesAt, zone, now)).toEqual({ kind: 'invalid' });
  });
});

describe('an institution asking on its own, as the register knows it', () => {
  const now = new Date('2026-12-01T09:00:00Z');
  const entry = { id: 7, name: 'Mimarlar Odası' };
  const invitation = (overrides: Partial<KnownAddress['invitations'][number]> = {}): KnownAddress['invitations'][number] => ({
    id: 1, stakeholder_id: 7, stakeholderName: 'Mimarlar Odası', revoked_at: null, deadline_at: '2026-12-15T20:59:59.000Z', self_registered: 0, ...overrides,
  });

  it('is new when nobody knows the address', () => {
    expect(selfRegistrationTarget({ entries: [], invitations: [] }, now)).toEqual({ kind: 'new' });
  });

  it('is the register entry holding the address when that entry was never invited', () => {
    expect(selfRegistrationTarget({ entries: [entry, { id: 9, name: 'Başka' }], invitations: [] }, now)).toEqual({ kind: 'entry', stakeholderId: 7 });
  });

  it('gets its live invitation again, even when an older one was revoked', () => {
    const known = { entries: [entry], invitations: [invitation({ revoked_at: '2026-11-22T08:00:00.000Z' }), invitation({ id: 2 })] };
    expect(selfRegistrationTarget(known, now)).toEqual({ kind: 'invited', invitationId: 2 });
  });

  it('is refused when its latest invitation was revoked, or ran out, whatever register entry holds the address', () => {
    expect(selfRegistrationTarget({ entries: [entry], invitations: [invitation({ revoked_at: '2026-11-22T08:00:00.000Z' })] }, now)).toEqual({
      kind: 'refused', reason: 'revoked', stakeholderId: 7, stakeholderName: 'Mimarlar Odası',
    });
    expect(selfRegistrationTarget({ entries: [], invitations: [invitation({ deadline_at: '2026-11-30T20:59:59.000Z' })] }, now)).toMatchObject({ kind: 'refused', reason: 'expired' });
    // The deadline's own second is already past.
    expect(selfRegistrationTarget({ entries: [entry], invitations: [invitation({ deadline_at: now.toISOString() })] }, now)).toMatchObject({ kind: 'refused', reason: 'expired' });
  });

  it('is its register entry again when only its own self-registration ran out: no planner set that deadline', () => {
    const ranOut = invitation({ deadline_at: '2026-11-30T20:59:59.000Z', self_registered: 1 });
    expect(selfRegistrationTarget({ entries: [entry], invitations: [ranOut] }, now)).toEqual({ kind: 'entry', stakeholderId: 7 });
    // A revoked self-registration stays refused: a planner revoked it.
    expect(selfRegistrationTarget({ entries: [entry], invitations: [{ ...ranOut, revoked_at: '2026-11-29T08:00:00.000Z' }] }, now)).toMatchObject({ kind: 'refused', reason: 'revoked' });
  });

  it("answers by the invitation round's deadline, within the form's closing; the closing when there is none ahead", () => {
    const closesAt = '2027-12-31T23:59:00+03:00';
    expect(selfRegistrationDeadline('2026-12-15T20:59:59.000Z', closesAt, now)).toBe('2026-12-15T20:59:59.000Z');
    expect(selfRegistrationDeadline(undefined, closesAt, now)).toBe('2027-12-31T20:59:00.000Z');
    expect(selfRegistrationDeadline('2026-11-30T20:59:59.000Z', closesAt, now)).toBe('2027-12-31T20:59:00.000Z');
    // A form closed earlier than planned closes the links with it.
    expect(selfRegistrationDeadline('2026-12-15T20:59:59.000Z', '2026-12-10T12:00:00Z', now)).toBe('2026-12-10T12:00:00.000Z');
  });
});

describe('the receipt e-mail as the receipt page tells it', () => {
  const mail = { to_address: 'oda@example.org', status: 'pending', attempts: 0, sent_at: null };

  it('is waiting, being tried again, or sent and when', () => {
    expect(receiptMailState(mail)).toEqual({ state: 'queued', to: 'oda@example.org' });
    expect(receiptMailState({ ...mail, attempts: 2 })).toEqual({ state: 'retrying', to: 'oda@example.org' });
    expect(receiptMailState({ ...mail, status: 'sent', attempts: 1, sent_at: '2026-11-21T07:01:00.000Z' })).toEqual({ state: 'sent', to: 'oda@example.org', sentAt: '2026-11-21T07:01:00.000Z' });
  });

  it('says nothing of a cancelled or missing e-mail', () => {
    expect(receiptMailState({ ...mail, status: 'cancelled' })).toEqual({ state: 'none' });
    expect(receiptMailState(undefined)).toEqual({ state: 'none' });
  });
});

describe('who a bulk invitation reaches (what its confirmation page counts)', () => {
  const s = (id: number, group: string, emails: string[]) => ({ id, name: `K${id}`, group, emails });
  it('skips those already invited and those without an address; counts the rest by group', () => {
    const sorted = sortInvitees([s(1, 'kamu', ['a@x.org']), s(2, 'kamu', []), s(3, 'meslek_odasi', ['b@x.org']), s(4, 'kamu', ['c@x.org']), s(5, 'kamu', ['d@x.org'])], new Set([5]));
    expect(sorted.invite.map((i) => i.id)).toEqual([1, 3, 4]);
    expect(sorted.skipped.map((k) => [k.stakeholder.id, k.reason])).toEqual([[2, 'no_email'], [5, 'already_invited']]);
    expect(countByGroup(sorted.invite)).toEqual([{ group: 'kamu', count: 2 }, { group: 'meslek_odasi', count: 1 }]);
    expect(countByGroup([])).toEqual([]);
  });
});
