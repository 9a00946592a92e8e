// Consulting institutions (Law 5393 art. 41): invitations with personal links, reminders,
// revocation, what the links lead to, receipts, and institutions that ask to take part on their
// own. Every e-mail is queued in the transaction of the action that causes it.
import crypto from 'node:crypto';
import * as audit from '../platform/audit/audit.repository';
import type { Actor } from '../platform/audit/audit.repository';
import type { Db, Executor } from '../platform/db/connection';
import { AppError } from '../platform/http/app-error';
import type { Mailer } from '../platform/mail/mailer';
import * as outboxRepository from '../platform/mail/outbox.repository';
import { localize } from '../platform/i18n/localize';
import { stakeholderRepository, type StakeholderGroup } from '../stakeholders';
import { allQuestions, answersToFields, responseRepository, SUPERSEDED, surveyStatus, type AnswerLine, type FormFields, type Survey, type SurveyCatalog } from '../surveys';
import * as invitationRepository from './invitation.repository';
import type { InvitationView } from './invitation.repository';
import { hashToken, newToken } from '../platform/tokens';
import { countByGroup, selfRegistrationDeadline, selfRegistrationTarget, sortInvitees, type SelfRegistrationTarget } from './invitation-rules';

/** Link tokens: 128 random bits (the default of newToken); only the sha256 is stored. */
export { hashToken, newToken };

export function invitationLink(baseUrl: string, token: string, language: string): string {
  return `${baseUrl}/gorus/${token}${language === 'en' ? '?lang=en' : ''}`;
}

/** The reference number a receipt quotes: the year and the response's number. */
export function receiptReference(responseId: number, submittedAt: string): string {
  return `PD-${submittedAt.slice(0, 4)}-${String(responseId).padStart(6, '0')}`;
}

export type LinkState =
  | { kind: 'unknown' }
  | { kind: 'revoked'; invitation: InvitationView }
  | { kind: 'closed'; invitation: InvitationView }
  | { kind: 'open'; invitation: InvitationView };

/** What a link leads to now; the first visit to an open invitation is recorded. */
export async function followLink(db: Db, token: string, now: Date): Promise<LinkState> {
  if (!/^[A-Za-z0-9_-]{22}$/.test(token)) return { kind: 'unknown' };
  const invitation = await invitationRepository.findByTokenHash(db, hashToken(token));
  if (!invitation) return { kind: 'unknown' };
  if (invitation.revoked_at) return { kind: 'revoked', invitation };
  if (Date.parse(invitation.deadline_at) <= now.getTime()) return { kind: 'closed', invitation };
  if (!invitation.opened_at) {
    await invitationRepository.update(db, invitation.id, { opened_at: now.toISOString() });
    invitation.opened_at = now.toISOString();
  }
  return { kind: 'open', invitation };
}

export interface MailContext {
  mailer: Mailer;
  baseUrl: string;
}

async function queueInvitationMail(
  trx: Executor,
  mail: MailContext,
  invitation: { id: number; email: string; language: string; deadline_at: string; name: string },
  survey: Survey,
  template: 'invitation' | 'reminder',
  now: Date,
): Promise<void> {
  const { token, hash } = newToken();
  await invitationRepository.addToken(trx, invitation.id, hash, now);
  await mail.mailer.queue(
    trx,
    {
      to: invitation.email,
      language: invitation.language,
      template: `opinions/${template}`,
      subjectKey: `opinions:mail.${template}_subject`,
      subjectParams: { title: localize(survey.title, invitation.language).text },
      locals: { institution: invitation.name, survey, deadline: invitation.deadline_at },
      secrets: { link: invitationLink(mail.baseUrl, token, invitation.language) },
      kind: template,
      ref: `invitation:${invitation.id}`,
    },
    now,
  );
}

/**
 * Where mail about an invitation goes now: the register's first address (a planner may have
 * corrected a mistyped one since), which the invitation then records.
 */
async function currentAddress(trx: Executor, invitation: InvitationView): Promise<string> {
  const current = (await stakeholderRepository.find(trx, invitation.stakeholder_id))?.emails[0];
  if (!current || current === invitation.email) return invitation.email;
  await invitationRepository.update(trx, invitation.id, { email: current });
  return current;
}

export interface InviteRequest {
  survey: Survey;
  stakeholderIds: number[];
  deadline: string;
  reminderDays: number | null;
  actor: Actor;
  now: Date;
}

export type InviteOutcome = { kind: 'invited'; invited: number; skipped: { name: string; reason: 'no_email' | 'already_invited' | 'archived' }[] };

/** What inviting these institutions would do, without doing it: for the page that asks first. */
export async function previewInvite(db: Executor, survey: Survey, stakeholderIds: number[]) {
  const already = new Set(await invitationRepository.openStakeholderIds(db, survey.slug));
  const sorted = sortInvitees(await stakeholderRepository.list(db, { ids: stakeholderIds }), already);
  return { invite: sorted.invite, byGroup: countByGroup(sorted.invite), skipped: sorted.skipped.length };
}

export async function invite(db: Db, mail: MailContext, request: InviteRequest): Promise<InviteOutcome> {
  const { survey, now } = request;
  return db.transaction().execute(async (trx) => {
    const already = new Set(await invitationRepository.openStakeholderIds(trx, survey.slug));
    const stakeholders = await stakeholderRepository.list(trx, { ids: request.stakeholderIds });
    const archived = await stakeholderRepository.list(trx, { ids: request.stakeholderIds, archived: true });
    const skipped: InviteOutcome['skipped'] = archived.map((s) => ({ name: s.name, reason: 'archived' as const }));
    let invited = 0;
    const sorted = sortInvitees(stakeholders, already);
    skipped.push(...sorted.skipped.map(({ stakeholder, reason }) => ({ name: stakeholder.name, reason })));
    for (const stakeholder of sorted.invite) {
      const email = stakeholder.emails[0]!;
      const id = await invitationRepository.insert(
        trx,
        {
          stakeholderId: stakeholder.id,
          surveySlug: survey.slug,
          email,
          language: stakeholder.language,
          deadlineAt: request.deadline,
          reminderDays: request.reminderDays,
          createdBy: request.actor.userId,
        },
        now,
      );
      await queueInvitationMail(trx, mail, { id, email, language: stakeholder.language, deadline_at: request.deadline, name: stakeholder.name }, survey, 'invitation', now);
      invited++;
    }
    if (invited > 0) await audit.record(trx, { action: 'invitation.sent', ...audit.by(request.actor), target: survey.slug, details: { invited } }, now);
    return { kind: 'invited', invited, skipped };
  });
}

/**
 * A reminder to each invitation that has not been answered, is not revoked and whose deadline has
 * not passed; an automatic one (no actor) only while the invitation is still due it, checked in
 * the transaction that queues the mail: another process's sweep may have sent it since this one
 * listed it. Returns how many went out.
 */
export async function remind(
  db: Db,
  mail: MailContext,
  survey: Survey,
  invitationIds: number[],
  actor: Actor | null,
  now: Date,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    let sent = 0;
    for (const id of invitationIds) {
      const invitation = await invitationRepository.find(trx, id);
      if (!invitation || invitation.survey_slug !== survey.slug || invitation.submitted_at || invitation.revoked_at) continue;
      if (Date.parse(invitation.deadline_at) <= now.getTime()) continue;
      if (actor === null && !invitationRepository.isDueForReminder(invitation, now)) continue;
      if (!(await invitationRepository.countReminder(trx, id, now, actor === null))) continue;
      await queueInvitationMail(trx, mail, { ...invitation, email: await currentAddress(trx, invitation), name: invitation.stakeholderName }, survey, 'reminder', now);
      await audit.record(
        trx,
        { action: 'invitation.reminded', ...(actor ? audit.by(actor) : { actor: 'system' }), target: invitation.stakeholderName, details: { survey: survey.slug, automatic: actor === null } },
        now,
      );
      sent++;
    }
    return sent;
  });
}

/** A form institutions can answer now: present, published, between its opening and closing. */
export function openForm(catalog: Pick<SurveyCatalog, 'find' | 'schedule'>, slug: string, now: Date): Survey | undefined {
  const survey = catalog.find(slug);
  return survey && survey.audience === 'institution' && surveyStatus(catalog.schedule(slug), now) === 'open' ? survey : undefined;
}

/** The automatic reminders: N days before the deadline, once, to those who have not answered, while the form is open. */
export async function sendDueReminders(db: Db, mail: MailContext, catalog: Pick<SurveyCatalog, 'find' | 'schedule'>, now: Date): Promise<number> {
  const due = await invitationRepository.dueForReminder(db, now);
  let sent = 0;
  for (const invitation of due) {
    const survey = openForm(catalog, invitation.survey_slug, now);
    if (survey) sent += await remind(db, mail, survey, [invitation.id], null, now);
  }
  return sent;
}

export type ChangeOutcome = { kind: 'changed' } | { kind: 'not_found' } | { kind: 'not_possible' };

/** Sends the invitation again (a new link; the earlier ones keep working until revoked). */
export async function resend(db: Db, mail: MailContext, survey: Survey, id: number, actor: Actor, now: Date): Promise<ChangeOutcome> {
  return db.transaction().execute(async (trx): Promise<ChangeOutcome> => {
    const invitation = await invitationRepository.find(trx, id);
    if (!invitation || invitation.survey_slug !== survey.slug) return { kind: 'not_found' };
    if (invitation.revoked_at || Date.parse(invitation.deadline_at) <= now.getTime()) return { kind: 'not_possible' };
    await queueInvitationMail(trx, mail, { ...invitation, email: await currentAddress(trx, invitation), name: invitation.stakeholderName }, survey, 'invitation', now);
    await audit.record(trx, { action: 'invitation.resent', ...audit.by(actor), target: invitation.stakeholderName, details: { survey: survey.slug } }, now);
    return { kind: 'changed' };
  });
}

/**
 * After two register entries were merged, the institution may hold two live invitations to one
 * form (say, the planner's and its own request). One stays: the one with the latest answer, else
 * the planner's, else the first. The others are revoked, their waiting mail cancelled, and an
 * older answer among them is kept but superseded, so the institution counts once.
 */
export async function reconcileAfterMerge(trx: Executor, stakeholderId: number, now: Date): Promise<void> {
  const live = (await invitationRepository.listForStakeholder(trx, stakeholderId)).filter((i) => i.revoked_at === null);
  const bySurvey = new Map<string, InvitationView[]>();
  for (const invitation of live) bySurvey.set(invitation.survey_slug, [...(bySurvey.get(invitation.survey_slug) ?? []), invitation]);
  for (const invitations of bySurvey.values()) {
    if (invitations.length < 2) continue;
    const answered = invitations.filter((i) => i.submitted_at !== null).sort((a, b) => b.submitted_at!.localeCompare(a.submitted_at!));
    const keep = answered[0] ?? invitations.find((i) => !i.self_registered) ?? invitations[0]!;
    for (const other of invitations) {
      if (other.id === keep.id) continue;
      await invitationRepository.update(trx, other.id, { revoked_at: now.toISOString() });
      await outboxRepository.cancelPending(trx, `invitation:${other.id}`);
      if (other.response_id !== null && keep.response_id !== null) {
        await responseRepository.setExclusion(trx, other.response_id, { at: now.toISOString(), by: null, reason: SUPERSEDED, note: `#${keep.response_id}` });
      }
    }
  }
}

/** Ends every link of an invitation; what was submitted stays in the record. */
export async function revoke(db: Db, survey: Survey, id: number, actor: Actor, now: Date): Promise<ChangeOutcome> {
  return db.transaction().execute(async (trx): Promise<ChangeOutcome> => {
    const invitation = await invitationRepository.find(trx, id);
    if (!invitation || invitation.survey_slug !== survey.slug) return { kind: 'not_found' };
    if (invitation.revoked_at) return { kind: 'not_possible' };
    await invitationRepository.update(trx, id, { revoked_at: now.toISOString() });
    // Mail still waiting (an outage) would bring a dead link: it is not sent.
    await outboxRepository.cancelPending(trx, `invitation:${id}`);
    await audit.record(trx, { action: 'invitation.revoked', ...audit.by(actor), target: invitation.stakeholderName, details: { survey: survey.slug } }, now);
    return { kind: 'changed' };
  });
}

/** Self-registration links can be confirmed this long after the request. */
export const CONFIRMATION_HOURS = 48;
/** One address may ask this many times in CONFIRMATION_HOURS; more requests send nothing. */
export const MAX_REQUESTS = 3;
/** Institutions that asked on their own are reminded this many days before their deadline. */
export const SELF_REGISTERED_REMINDER_DAYS = 3;

export interface SelfRegistrationRequest {
  survey: Survey;
  name: string;
  group: StakeholderGroup;
  /** Trimmed and lowercased. */
  email: string;
  contactPerson: string | null;
  language: string;
  now: Date;
}

type Refusal = Extract<SelfRegistrationTarget, { kind: 'refused' }>;

export type SelfRegistrationOutcome =
  /** A confirmation link was mailed, or not (too many requests): the page reads the same. */
  | { kind: 'requested' }
  /** The address is an institution whose invitation was revoked or ran out: nothing is mailed. */
  | { kind: 'refused'; reason: Refusal['reason'] };

/**
 * A refusal is news for the planners (the institution wants to take part after all): recorded in
 * the audit log, which the form's invitation page lists. No address is stored with it; the entry
 * is named.
 */
async function noteRefusal(trx: Executor, survey: Survey, refusal: Refusal, stage: 'request' | 'confirmation', now: Date): Promise<void> {
  await audit.record(
    trx,
    { action: 'invitation.self_registration_refused', actor: 'system', target: refusal.stakeholderName, details: { survey: survey.slug, stakeholder: refusal.stakeholderId, reason: refusal.reason, stage } },
    now,
  );
}

export async function requestSelfRegistration(db: Db, mail: MailContext, request: SelfRegistrationRequest): Promise<SelfRegistrationOutcome> {
  const { now } = request;
  return db.transaction().execute(async (trx): Promise<SelfRegistrationOutcome> => {
    const target = selfRegistrationTarget(await invitationRepository.knownAddress(trx, request.survey.slug, request.email), now);
    if (target.kind === 'refused') {
      await noteRefusal(trx, request.survey, target, 'request', now);
      return { kind: 'refused', reason: target.reason };
    }
    const since = new Date(now.getTime() - CONFIRMATION_HOURS * 3_600_000);
    if ((await invitationRepository.recentSelfRegistrations(trx, request.email, since)) >= MAX_REQUESTS) return { kind: 'requested' };
    const { token, hash } = newToken();
    await invitationRepository.insertSelfRegistration(trx, {
      name: request.name,
      group_id: request.group,
      email: request.email,
      contact_person: request.contactPerson,
      language: request.language,
      survey_slug: request.survey.slug,
      token_hash: hash,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + CONFIRMATION_HOURS * 3_600_000).toISOString(),
    });
    await mail.mailer.queue(
      trx,
      {
        to: request.email,
        language: request.language,
        template: 'opinions/confirm',
        subjectKey: 'opinions:mail.confirm_subject',
        subjectParams: { title: localize(request.survey.title, request.language).text },
        locals: { institution: request.name, survey: request.survey, hours: CONFIRMATION_HOURS },
        secrets: { link: `${mail.baseUrl}/kurum-gorusu/onay/${token}${request.language === 'en' ? '?lang=en' : ''}` },
        kind: 'self_registration',
      },
      now,
    );
    return { kind: 'requested' };
  });
}

export type ConfirmOutcome =
  | { kind: 'unknown' }
  | { kind: 'expired' }
  /** The form is not open (closed between the request and the confirmation). */
  | { kind: 'closed' }
  | { kind: 'already_confirmed' }
  /** Revoked or ran out between the request and the confirmation. */
  | { kind: 'refused'; reason: Refusal['reason'] }
  | { kind: 'confirmed'; token: string; language: string };

/**
 * The e-mail address is confirmed: the institution gets an invitation of its own, e-mailed too,
 * so it can come back. An address the register knows is that entry (see selfRegistrationTarget):
 * its live invitation again, or a new one for the entry; only an unknown address makes a new
 * entry, marked self-registered. The deadline is the invitation round's.
 */
export async function confirmSelfRegistration(
  db: Db,
  mail: MailContext,
  token: string,
  catalog: Pick<SurveyCatalog, 'find' | 'schedule'>,
  now: Date,
): Promise<ConfirmOutcome> {
  if (!/^[A-Za-z0-9_-]{22}$/.test(token)) return { kind: 'unknown' };
  return db.transaction().execute(async (trx): Promise<ConfirmOutcome> => {
    const registration = await invitationRepository.findSelfRegistration(trx, hashToken(token));
    if (!registration) return { kind: 'unknown' };
    if (registration.confirmed_at) return { kind: 'already_confirmed' };
    if (Date.parse(registration.expires_at) <= now.getTime()) return { kind: 'expired' };
    const survey = openForm(catalog, registration.survey_slug, now);
    if (!survey) return { kind: 'closed' };
    const target = selfRegistrationTarget(await invitationRepository.knownAddress(trx, survey.slug, registration.email), now);
    if (target.kind === 'refused') {
      await noteRefusal(trx, survey, target, 'confirmation', now);
      return { kind: 'refused', reason: target.reason };
    }
    let invitation: { id: number; name: string; deadline: string; language: string };
    if (target.kind === 'invited') {
      const existing = (await invitationRepository.find(trx, target.invitationId))!;
      invitation = { id: existing.id, name: existing.stakeholderName, deadline: existing.deadline_at, language: existing.language };
    } else {
      const stakeholderId =
        target.kind === 'entry'
          ? target.stakeholderId
          : await stakeholderRepository.insert(
              trx,
              {
                name: registration.name,
                group: registration.group_id,
                scope: 'external',
                type: null,
                emails: [registration.email],
                contactPerson: registration.contact_person,
                areas: [],
                reason: null,
                // Unknown until a planner scores it: the lowest scores keep it out of the way meanwhile.
                importance: 1,
                influence: 1,
                language: registration.language,
              },
              'self',
              now,
            );
      // Stored as UTC ISO like every instant, so comparisons in SQL hold.
      const deadline = selfRegistrationDeadline(await invitationRepository.latestRoundDeadline(trx, survey.slug), catalog.schedule(survey.slug).closesAt, now);
      const id = await invitationRepository.insert(
        trx,
        {
          stakeholderId,
          surveySlug: survey.slug,
          email: registration.email,
          language: registration.language,
          deadlineAt: deadline,
          reminderDays: SELF_REGISTERED_REMINDER_DAYS,
          createdBy: null,
          selfRegistered: true,
        },
        now,
      );
      const name = target.kind === 'entry' ? ((await stakeholderRepository.find(trx, stakeholderId))?.name ?? registration.name) : registration.name;
      invitation = { id, name, deadline, language: registration.language };
    }
    const link = newToken();
    await invitationRepository.addToken(trx, invitation.id, link.hash, now);
    await mail.mailer.queue(
      trx,
      {
        to: registration.email,
        language: invitation.language,
        template: 'opinions/invitation',
        subjectKey: 'opinions:mail.invitation_subject',
        subjectParams: { title: localize(survey.title, invitation.language).text },
        locals: { institution: invitation.name, survey, deadline: invitation.deadline },
        secrets: { link: invitationLink(mail.baseUrl, link.token, invitation.language) },
        kind: 'invitation',
        ref: `invitation:${invitation.id}`,
      },
      now,
    );
    await invitationRepository.confirmSelfRegistration(trx, registration.id, invitation.id, now);
    return { kind: 'confirmed', token: link.token, language: invitation.language };
  });
}

/** Institutions turned away at /kurum-gorusu for a form, for its planners: the latest first. */
export async function refusedSelfRegistrations(db: Executor, surveySlug: string): Promise<{ name: string; reason: Refusal['reason']; at: string; count: number }[]> {
  const { events } = await audit.list(db, { action: 'invitation.self_registration_refused' }, { limit: 500, offset: 0 });
  const byInstitution = new Map<string, { name: string; reason: Refusal['reason']; at: string; count: number }>();
  for (const event of events) {
    if (event.details?.survey !== surveySlug) continue;
    const key = String(event.details.stakeholder);
    const seen = byInstitution.get(key);
    if (seen) seen.count++;
    else byInstitution.set(key, { name: event.target ?? '', reason: event.details.reason === 'expired' ? 'expired' : 'revoked', at: event.at, count: 1 });
  }
  return [...byInstitution.values()];
}

/**
 * The token of an invitation's draft response, derived, so nothing but the link is needed to come
 * back: each version (each round of editing) has its own.
 */
export function draftTokenOf(secret: string, invitation: { id: number; version: number }): string {
  return crypto.createHmac('sha256', secret).update(`inv:${invitation.id}:${invitation.version}`).digest('base64url');
}

/**
 * What an institution's form page is drawn from (see PageVersion): the round being filled and the
 * answer that counts, so it changes with every submission (a new response) and every start of
 * changes (a new round), and not with the saves in between. Null once the round was submitted:
 * there is no draft to save into until changes are started again.
 */
export async function formVersion(db: Executor, secret: string, survey: Survey, invitation: { id: number; version: number; response_id: number | null }): Promise<string | null> {
  const round = await responseRepository.findByTokenHash(db, survey.slug, hashToken(draftTokenOf(secret, invitation)));
  if (round?.status === 'complete') return null;
  return `${invitation.version}.${invitation.response_id ?? 0}`;
}

/**
 * Answers known from the register: the institution type question (role profile.institution_type)
 * is answered with the option its registerMap gives the stakeholder's group. A group the map does
 * not name gets no answer, so the question is asked rather than guessed.
 */
export function knownAnswers(survey: Survey, group: string): FormFields {
  const question = allQuestions(survey).find((q) => q.role === 'profile.institution_type');
  if (!question || (question.kind !== 'single_choice' && question.kind !== 'select') || !question.registerMap) return {};
  const map: Partial<Record<string, string>> = question.registerMap;
  const answer = Object.hasOwn(map, group) ? map[group] : undefined;
  return answer ? { [question.id]: answer } : {};
}

/**
 * The link was checked when the request came in; a revocation or the deadline may have landed
 * since. Checked again inside the transaction that writes, which then rolls back.
 */
async function stillOpen(trx: Executor, invitationId: number, now: Date): Promise<InvitationView> {
  const invitation = await invitationRepository.find(trx, invitationId);
  if (!invitation || invitation.revoked_at || Date.parse(invitation.deadline_at) <= now.getTime()) throw new AppError(410, 'opinions:errors.closed');
  return invitation;
}

export { stillOpen };

export async function recordDraftSaved(trx: Executor, invitationId: number, now: Date): Promise<void> {
  await stillOpen(trx, invitationId, now);
  await invitationRepository.update(trx, invitationId, { draft_saved_at: now.toISOString() });
}

export interface Submission {
  invitation: InvitationView;
  survey: Survey;
  responseId: number;
  /** The link the receipt points back to. */
  link: string;
  /** The answers as the recipient reads them, in the invitation's language. */
  lines: AnswerLine[];
  now: Date;
}

/**
 * Runs in the transaction that completes the response: the invitation points at its latest
 * version, the earlier version is excluded from results (kept, marked superseded) and a receipt
 * with a copy of the answers is queued.
 */
export async function recordSubmission(trx: Executor, mail: MailContext, submission: Submission): Promise<void> {
  const { responseId, now } = submission;
  // Read again inside the transaction: the version this one replaces is the one stored now.
  const invitation = await stillOpen(trx, submission.invitation.id, now);
  const previous = invitation.response_id;
  if (previous !== null && previous !== responseId) {
    await responseRepository.setExclusion(trx, previous, { at: now.toISOString(), by: null, reason: SUPERSEDED, note: `#${responseId}` });
  }
  await invitationRepository.update(trx, invitation.id, { submitted_at: now.toISOString(), response_id: responseId });
  // The letters uploaded for this answer go with it, and from now on cannot change.
  await invitationRepository.attachPendingLetters(trx, invitation.id, responseId);
  const letters = receiptLetters(await invitationRepository.lettersOf(trx, [invitation.id]), responseId);
  const reference = receiptReference(responseId, now.toISOString());
  await mail.mailer.queue(
    trx,
    {
      to: invitation.email,
      language: invitation.language,
      template: 'opinions/receipt',
      subjectKey: 'opinions:mail.receipt_subject',
      subjectParams: { title: localize(submission.survey.title, invitation.language).text, reference },
      locals: { institution: invitation.stakeholderName, survey: submission.survey, reference, submittedAt: now.toISOString(), lines: submission.lines, deadline: invitation.deadline_at, letters },
      secrets: { link: submission.link },
      kind: 'receipt',
      ref: `invitation:${invitation.id}`,
    },
    now,
  );
}

/**
 * What a receipt says of letters: those sent with this answer, and, when it has none, those sent
 * with an earlier version (still on record: a new version does not take them back).
 */
export function receiptLetters(letters: { file_name: string; size: number; pages: number | null; response_id: number | null }[], responseId: number) {
  const summary = (l: { file_name: string; size: number; pages: number | null }) => ({ fileName: l.file_name, size: l.size, pages: l.pages });
  return {
    attached: letters.filter((l) => l.response_id === responseId).map(summary),
    earlier: letters.filter((l) => l.response_id !== null && l.response_id !== responseId).map(summary),
  };
}

export type ReceiptLetters = ReturnType<typeof receiptLetters>;

export type EditOutcome = { kind: 'editing' } | { kind: 'not_submitted' } | { kind: 'closed' };

/**
 * Opens a submitted opinion for changes: a new version starts as a draft holding the submitted
 * answers. The submitted version keeps counting until the new one is submitted.
 */
export async function startEdit(db: Db, secret: string, survey: Survey, invitationId: number, now: Date): Promise<EditOutcome> {
  return db.transaction().execute(async (trx): Promise<EditOutcome> => {
    const invitation = await invitationRepository.find(trx, invitationId);
    if (!invitation || invitation.revoked_at || Date.parse(invitation.deadline_at) <= now.getTime()) return { kind: 'closed' };
    if (invitation.response_id === null) return { kind: 'not_submitted' };
    const current = await responseRepository.findByTokenHash(trx, survey.slug, hashToken(draftTokenOf(secret, invitation)));
    // Already editing (a second tap): keep the draft that is there.
    if (current?.status === 'draft') return { kind: 'editing' };
    const version = invitation.version + 1;
    const fields = answersToFields(allQuestions(survey), await responseRepository.answersOf(trx, invitation.response_id));
    await responseRepository.insertResponse(trx, {
      survey,
      tokenHash: hashToken(draftTokenOf(secret, { id: invitation.id, version })),
      fields,
      language: invitation.language,
      channel: 'online',
      now,
    });
    await invitationRepository.update(trx, invitation.id, { version });
    return { kind: 'editing' };
  });
}
