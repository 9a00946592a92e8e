// Requests people make about their own data (KVKK art. 11, docs/domain.md §6.7): planners record them,
// find everything stored about the e-mail address or phone number, hand it out (access), correct
// it (rectification), delete it (erasure: anonymised exactly as retention does) and answer within
// 30 days. Every change is audited without copying the personal data into the audit log.
import type { Municipality } from '../municipality';
import type { Actor } from '../platform/audit/audit.repository';
import { by, record } from '../platform/audit/audit.repository';
import type { Db, Executor } from '../platform/db/connection';
import type { Cell } from '../platform/export/writers';
import { mask } from '../platform/mail/mail-secrets';
import { consentsOfRegistrations } from './consent.service';
import type { Consent } from './consent.repository';
import * as meetingRepository from '../meetings/meeting.repository';
import * as dataSubjectRepository from './data-subject.repository';
import type { DataSubjectRequest, NewRequest } from './data-subject.repository';
import type { Subject } from './data-subject-rules';
import * as retentionRepository from './retention.repository';
import type { Counts } from './retention.repository';

export async function createRequest(db: Db, request: NewRequest, actor: Actor, now: Date): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const id = await dataSubjectRepository.insert(trx, request, actor.userId, now);
    // The log names the request, never the person: it is itself no place for their data.
    await record(trx, { action: 'privacy.request_created', ...by(actor), target: `privacy_request:${id}`, details: { kind: request.kind, channel: request.channel, dueOn: request.dueOn } }, now);
    return id;
  });
}

export const subjectOfRequest = (request: Pick<DataSubjectRequest, 'subject_email' | 'subject_phone'>): Subject => ({ email: request.subject_email, phone: request.subject_phone });

export interface FoundRegistration {
  id: number;
  meetingId: number;
  meetingTitle: string;
  meetingStartsAt: string;
  name: string;
  phone: string | null;
  email: string | null;
  mahalle: string;
  accessibilityNeed: string | null;
  language: string;
  status: string;
  source: string;
  createdAt: string;
  cancelledAt: string | null;
  attendedAt: string | null;
  futureMeetingsConsentAt: string | null;
  anonymisedAt: string | null;
  /** A seat at a meeting still ahead: erasing leaves the seat taken, so it is cancelled first. */
  upcoming: boolean;
  notices: { kind: string; channel: string; createdAt: string; handledAt: string | null }[];
}

export interface Findings {
  registrations: FoundRegistration[];
  invitations: {
    id: number;
    institution: string;
    survey: string;
    email: string;
    language: string;
    createdAt: string;
    deadlineAt: string;
    openedAt: string | null;
    submittedAt: string | null;
    revokedAt: string | null;
    anonymisedAt: string | null;
  }[];
  selfRegistrations: {
    id: number;
    institution: string;
    group: string;
    email: string;
    contactPerson: string | null;
    language: string;
    survey: string;
    createdAt: string;
    confirmedAt: string | null;
    anonymisedAt: string | null;
  }[];
  /** The stakeholder register: corrected or removed on the register's own page (it outlives the plan). */
  register: { stakeholderId: number; institution: string; email: string; contactPerson: string | null; source: string; archived: boolean }[];
  mail: { id: number; to: string; subject: string; kind: string; status: string; createdAt: string; sentAt: string | null; text: string }[];
  consents: Consent[];
}

export const isEmpty = (findings: Findings): boolean =>
  findings.registrations.length + findings.invitations.length + findings.selfRegistrations.length + findings.register.length + findings.mail.length + findings.consents.length === 0;

/** Everything stored about the request's e-mail address and phone number, and what its erasures anonymised. */
export async function lookup(db: Executor, request: DataSubjectRequest, municipality: Municipality, now: Date, hiddenLink: string): Promise<Findings> {
  const subject = subjectOfRequest(request);
  const erased = await dataSubjectRepository.erasedIds(db, request.id);
  const registrations = await dataSubjectRepository.registrationsOf(db, subject, erased.registration);
  const registrationIds = registrations.map((r) => r.id);
  const notices = await dataSubjectRepository.noticesOf(db, registrationIds);
  const invitations = await dataSubjectRepository.invitationsOf(db, subject.email, erased.invitation);
  const selfRegistrations = await dataSubjectRepository.selfRegistrationsOf(db, subject.email, erased.self_registration);
  const register = await dataSubjectRepository.stakeholdersOf(db, subject.email);
  const refs = [...registrationIds.map((id) => `registration:${id}`), ...invitations.map((i) => `invitation:${i.id}`)];
  const mail = await dataSubjectRepository.outboxOf(db, subject.email, refs);
  const anonymised = {
    registration: await retentionRepository.anonymisedAt(db, 'registration', registrationIds),
    invitation: await retentionRepository.anonymisedAt(db, 'invitation', invitations.map((i) => i.id)),
    self_registration: await retentionRepository.anonymisedAt(db, 'self_registration', selfRegistrations.map((s) => s.id)),
  };
  const mahalleName = (id: string) => municipality.mahalles.find((m) => m.id === id)?.name ?? id;
  return {
    registrations: registrations.map((r) => ({
      id: r.id,
      meetingId: r.meeting_id,
      meetingTitle: r.meetingTitle,
      meetingStartsAt: r.meetingStartsAt,
      name: r.name,
      phone: r.phone,
      email: r.email,
      mahalle: mahalleName(r.mahalle_id),
      accessibilityNeed: r.accessibility_need,
      language: r.language,
      status: r.status,
      source: r.source,
      createdAt: r.created_at,
      cancelledAt: r.cancelled_at,
      attendedAt: r.attended_at,
      futureMeetingsConsentAt: r.future_meetings_consent_at,
      anonymisedAt: anonymised.registration.get(r.id) ?? null,
      upcoming: r.status !== 'cancelled' && r.meetingCancelledAt === null && Date.parse(r.meetingStartsAt) > now.getTime(),
      notices: notices.filter((n) => n.registration_id === r.id).map((n) => ({ kind: n.kind, channel: n.channel, createdAt: n.created_at, handledAt: n.handled_at })),
    })),
    invitations: invitations.map((i) => ({
      id: i.id,
      institution: i.institution,
      survey: i.survey_slug,
      email: i.email,
      language: i.language,
      createdAt: i.created_at,
      deadlineAt: i.deadline_at,
      openedAt: i.opened_at,
      submittedAt: i.submitted_at,
      revokedAt: i.revoked_at,
      anonymisedAt: anonymised.invitation.get(i.id) ?? null,
    })),
    selfRegistrations: selfRegistrations.map((s) => ({
      id: s.id,
      institution: s.name,
      group: s.group_id,
      email: s.email,
      contactPerson: s.contact_person,
      language: s.language,
      survey: s.survey_slug,
      createdAt: s.created_at,
      confirmedAt: s.confirmed_at,
      anonymisedAt: anonymised.self_registration.get(s.id) ?? null,
    })),
    register: register.map((s) => ({ stakeholderId: s.id, institution: s.name, email: s.email, contactPerson: s.contact_person, source: s.source, archived: s.archived_at !== null })),
    // Personal links stay sealed: the person gets their mail's text, not a key to someone's form.
    mail: mail.map((m) => ({ id: m.id, to: m.to_address, subject: m.subject, kind: m.kind, status: m.status, createdAt: m.created_at, sentAt: m.sent_at, text: mask(m.text_body, hiddenLink) })),
    consents: await consentsOfRegistrations(db, registrationIds),
  };
}

/** The sections of the findings and the fields each shows, in export order. */
export const EXPORT_FIELDS = {
  registrations: ['meetingTitle', 'meetingStartsAt', 'name', 'phone', 'email', 'mahalle', 'accessibilityNeed', 'status', 'source', 'createdAt', 'cancelledAt', 'attendedAt', 'futureMeetingsConsentAt', 'anonymisedAt'],
  invitations: ['institution', 'survey', 'email', 'createdAt', 'deadlineAt', 'openedAt', 'submittedAt', 'revokedAt', 'anonymisedAt'],
  selfRegistrations: ['institution', 'email', 'contactPerson', 'survey', 'createdAt', 'confirmedAt', 'anonymisedAt'],
  register: ['institution', 'email', 'contactPerson'],
  mail: ['to', 'subject', 'status', 'createdAt', 'sentAt', 'text'],
  consents: ['purpose', 'noticeVersion', 'givenAt', 'withdrawnAt'],
} as const;
export type Section = keyof typeof EXPORT_FIELDS;
export const SECTIONS = Object.keys(EXPORT_FIELDS) as Section[];

/** The findings as one long table (section, record, field, value): the CSV a person can read in a spreadsheet. */
export function exportRows(findings: Findings, label: { section: (s: Section) => string; field: (f: string) => string }): Cell[][] {
  const rows: Cell[][] = [];
  for (const section of SECTIONS) {
    for (const item of findings[section] as unknown as Record<string, unknown>[]) {
      const id = (item.id ?? item.stakeholderId) as number;
      for (const field of EXPORT_FIELDS[section]) {
        const value = item[field];
        if (value === null || value === undefined) continue;
        rows.push([label.section(section), id, label.field(field), String(value)]);
      }
    }
  }
  return rows;
}

// Corrections.

export type CorrectionTarget = 'registration' | 'invitation' | 'self_registration';
export type CorrectionOutcome =
  | { kind: 'corrected'; fields: string[] }
  | { kind: 'not_found' }
  | { kind: 'anonymised' }
  | { kind: 'duplicate' }
  /** An online sign-up keeps a way to reach the person (the sign-up form's rule). */
  | { kind: 'contact_required' };

export type Correction =
  | { target: 'registration'; name: string; phone: string | null; email: string | null }
  | { target: 'invitation'; email: string }
  | { target: 'self_registration'; email: string; contactPerson: string | null };

/**
 * Corrects one record the request found (and no other): a sign-up's name and contact details,
 * an invitation's address, a self-registration's address and contact person.
 */
export async function correct(db: Db, request: DataSubjectRequest, municipality: Municipality, recordId: number, correction: Correction, actor: Actor, now: Date): Promise<CorrectionOutcome> {
  return db.transaction().execute(async (trx): Promise<CorrectionOutcome> => {
    const findings = await lookup(trx, request, municipality, now, '');
    let fields: string[];
    if (correction.target === 'registration') {
      const found = findings.registrations.find((r) => r.id === recordId);
      if (!found) return { kind: 'not_found' };
      if (found.anonymisedAt) return { kind: 'anonymised' };
      const { name, phone, email } = correction;
      if (found.source === 'online' && !phone && !email) return { kind: 'contact_required' };
      if (await meetingRepository.findLive(trx, found.meetingId, { phone, email }, found.id)) return { kind: 'duplicate' };
      fields = (['name', 'phone', 'email'] as const).filter((f) => found[f] !== correction[f]);
      await dataSubjectRepository.correctRegistration(trx, found.id, { name, phone, email });
    } else if (correction.target === 'invitation') {
      const found = findings.invitations.find((i) => i.id === recordId);
      if (!found) return { kind: 'not_found' };
      if (found.anonymisedAt) return { kind: 'anonymised' };
      fields = found.email === correction.email ? [] : ['email'];
      await dataSubjectRepository.correctInvitation(trx, found.id, correction.email);
    } else {
      const found = findings.selfRegistrations.find((s) => s.id === recordId);
      if (!found) return { kind: 'not_found' };
      if (found.anonymisedAt) return { kind: 'anonymised' };
      fields = [...(found.email === correction.email ? [] : ['email']), ...(found.contactPerson === correction.contactPerson ? [] : ['contact_person'])];
      await dataSubjectRepository.correctSelfRegistration(trx, found.id, { email: correction.email, contact_person: correction.contactPerson });
    }
    await record(trx, { action: 'privacy.record_corrected', ...by(actor), target: `privacy_request:${request.id}`, details: { record: `${correction.target}:${recordId}`, fields } }, now);
    return { kind: 'corrected', fields };
  });
}

// Erasure.

/**
 * Deletes what the request found: the sign-ups, invitations and self-registrations are
 * anonymised the way retention does it (counts and answers stay), and the mail to the address is
 * deleted. The stakeholder register is left to its own page.
 */
export async function erase(db: Db, request: DataSubjectRequest, municipality: Municipality, actor: Actor, now: Date): Promise<Counts & { mailDeleted: number }> {
  return db.transaction().execute(async (trx) => {
    const findings = await lookup(trx, request, municipality, now, '');
    // First the mail to the address, so none of it is merely blanked below.
    const mailDeleted = request.subject_email ? await dataSubjectRepository.deleteOutboxTo(trx, request.subject_email) : 0;
    const counts = await retentionRepository.anonymise(
      trx,
      {
        registrations: { ids: findings.registrations.map((r) => r.id) },
        invitations: { ids: findings.invitations.map((i) => i.id) },
        selfRegistrations: { ids: findings.selfRegistrations.map((s) => s.id) },
      },
      { requestId: request.id },
      now,
    );
    await record(trx, { action: 'privacy.records_erased', ...by(actor), target: `privacy_request:${request.id}`, details: { ...counts, mailDeleted } }, now);
    return { ...counts, mailDeleted };
  });
}

export async function answer(db: Db, request: DataSubjectRequest, note: string, actor: Actor, now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const answered = await dataSubjectRepository.markAnswered(trx, request.id, note, actor.userId, now);
    if (answered) await record(trx, { action: 'privacy.request_answered', ...by(actor), target: `privacy_request:${request.id}`, details: { kind: request.kind, dueOn: request.due_on } }, now);
    return answered;
  });
}
