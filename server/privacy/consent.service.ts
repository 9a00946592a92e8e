// Explicit consents (KVKK art. 5/1) for optional uses: given with a form, in the transaction that
// stores the form, with the notice version the person was shown; withdrawn through a personal
// link with one button, as easily as they were given.
import crypto from 'node:crypto';
import { record } from '../platform/audit/audit.repository';
import type { Db, Executor } from '../platform/db/connection';
import { hashToken } from '../platform/tokens';
import * as consentRepository from './consent.repository';
import type { Consent, StoredConsent } from './consent.repository';
import type { ConsentChannel, ConsentPurpose } from './consent.table';

/** Where withdrawal links point: /acik-riza/<token>. */
export const WITHDRAWAL_BASE = '/acik-riza';
const TOKEN = /^[A-Za-z0-9_-]{22}$/;

// The withdrawal link's token is derived from the consent's id with the site's secret, like the
// registrations' links: every page and mail that should carry it can make it again. Its hash is
// stored so the link alone finds the consent, without saying which consent it is.
export function withdrawalToken(secret: string, consentId: number): string {
  return crypto.createHmac('sha256', secret).update(`consent-withdrawal:${consentId}`).digest('base64url').slice(0, 22);
}

export function withdrawalPath(token: string, language?: string): string {
  return `${WITHDRAWAL_BASE}/${token}${language === 'en' ? '?lang=en' : ''}`;
}

export function withdrawalLink(baseUrl: string, token: string, language: string): string {
  return `${baseUrl}${withdrawalPath(token, language)}`;
}

/** Not withdrawn: only these count as consent. */
export const isActive = (consent: Pick<Consent, 'withdrawnAt'>): boolean => consent.withdrawnAt === null;

/** The consent to this purpose that still counts, if any. */
export function activeConsent<C extends Pick<Consent, 'purpose' | 'withdrawnAt'>>(consents: readonly C[], purpose: ConsentPurpose): C | undefined {
  return consents.find((consent) => consent.purpose === purpose && isActive(consent));
}

/**
 * Records a consent ticked on a form, in the caller's transaction (the form's own data is stored
 * in it too, so neither exists without the other). Returns the token of its withdrawal link.
 */
export async function give(
  trx: Executor,
  secret: string,
  consent: { purpose: ConsentPurpose; registrationId: number | null; noticeVersion: string; channel?: ConsentChannel; recordedBy?: number | null },
  now: Date,
): Promise<{ id: number; token: string }> {
  const id = await consentRepository.insert(trx, { ...consent, givenAt: now.toISOString() });
  const token = withdrawalToken(secret, id);
  await consentRepository.setTokenHash(trx, id, hashToken(token));
  return { id, token };
}

/** The token of a consent's withdrawal link; stores its hash for consents copied without one. */
export async function withdrawalTokenOf(db: Executor, secret: string, consent: Pick<StoredConsent, 'id' | 'withdrawalTokenHash'>): Promise<string> {
  const token = withdrawalToken(secret, consent.id);
  if (consent.withdrawalTokenHash === null) await consentRepository.setTokenHash(db, consent.id, hashToken(token));
  return token;
}

/** The consent behind a withdrawal link; undefined for a malformed or unknown token. */
export async function findByToken(db: Executor, token: string): Promise<Consent | undefined> {
  if (!TOKEN.test(token)) return undefined;
  return consentRepository.findByTokenHash(db, hashToken(token));
}

export type WithdrawOutcome = { kind: 'withdrawn'; consent: Consent } | { kind: 'already'; consent: Consent } | { kind: 'unknown' };

/**
 * Withdraws the consent behind a link: from now on it no longer counts. Only the consent: a
 * meeting seat it was given with stays. Withdrawing twice changes nothing and says so.
 * Consent to the accessibility need is the only ground for keeping that special-category data
 * (KVKK art. 6), so withdrawing it erases the need in the same transaction: no moment where the
 * need is stored without a consent.
 */
export async function withdraw(db: Db, token: string, now: Date): Promise<WithdrawOutcome> {
  if (!TOKEN.test(token)) return { kind: 'unknown' };
  return db.transaction().execute(async (trx): Promise<WithdrawOutcome> => {
    const consent = await consentRepository.findByTokenHash(trx, hashToken(token));
    if (!consent) return { kind: 'unknown' };
    if (!(await consentRepository.markWithdrawn(trx, consent.id, now.toISOString()))) return { kind: 'already', consent };
    const erased = consent.purpose === 'accessibility_need' && consent.registrationId !== null ? await consentRepository.eraseAccessibilityNeed(trx, consent.registrationId) : undefined;
    // The person is known only by the link; no address is kept for a resident's action.
    await record(
      trx,
      {
        action: 'consent.withdrawn',
        target: `consent:${consent.id}`,
        details: { purpose: consent.purpose, registration: consent.registrationId, via: 'link', ...(erased === undefined ? {} : { erased }) },
      },
      now,
    );
    return { kind: 'withdrawn', consent: { ...consent, withdrawnAt: now.toISOString() } };
  });
}

const publicView = ({ withdrawalTokenHash: _hash, ...consent }: StoredConsent): Consent => consent;

/**
 * Every consent (withdrawn ones included, with their dates) given with these meeting
 * registrations, oldest first. For data-subject requests and the planners' registration lists;
 * what counts as consent now is `activeConsent`.
 */
export async function consentsOfRegistrations(db: Executor, registrationIds: readonly number[]): Promise<Consent[]> {
  return (await consentRepository.ofRegistrations(db, registrationIds)).map(publicView);
}

/** As consentsOfRegistrations, keeping the link hash (to make withdrawal links). */
export const storedConsentsOfRegistrations = consentRepository.ofRegistrations;
