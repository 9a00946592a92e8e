// Requests people make about their own data (KVKK art. 11) as pure functions: the 30-day answer
// deadline (art. 13/2), where a request stands against it, and how contact details are compared.
// The meetings' own rules, imported directly: the meetings feature imports privacy (consents).
import { z } from 'zod';
import { normalizeEmail, normalizePhone } from '../meetings/meeting-rules';
import { addDays, daysBetween } from '../platform/time';

/** KVKK art. 13/2: "en geç otuz gün içinde". */
export const ANSWER_DAYS = 30;

export function dueOn(receivedOn: string): string {
  return addDays(receivedOn, ANSWER_DAYS);
}

export type Deadline = { kind: 'answered' } | { kind: 'open'; daysLeft: number } | { kind: 'due_today' } | { kind: 'overdue'; daysLate: number };

export function deadlineOf(request: { due_on: string; answered_at: string | null }, today: string): Deadline {
  if (request.answered_at) return { kind: 'answered' };
  const left = daysBetween(today, request.due_on);
  if (left > 0) return { kind: 'open', daysLeft: left };
  if (left === 0) return { kind: 'due_today' };
  return { kind: 'overdue', daysLate: -left };
}

/** Open requests first, the nearest deadline on top; answered ones after, the latest answer first. */
export function inListOrder<R extends { id: number; due_on: string; answered_at: string | null }>(requests: readonly R[]): R[] {
  return [...requests].sort((a, b) => {
    if ((a.answered_at === null) !== (b.answered_at === null)) return a.answered_at === null ? -1 : 1;
    if (a.answered_at === null) return a.due_on.localeCompare(b.due_on) || a.id - b.id;
    return b.answered_at!.localeCompare(a.answered_at!) || b.id - a.id;
  });
}

export interface Subject {
  /** Lower-case, or null. */
  email: string | null;
  /** As the meetings store it (+90 and ten digits), or null. */
  phone: string | null;
}

/**
 * The person's contact details as stored, whatever way they were typed ("0532 123 45 67",
 * "+90 532 123 4567", "5321234567" are one number). Undefined fields could not be read.
 */
export function subjectOf(raw: { email?: string; phone?: string }): { subject: Subject; errors: { email?: true; phone?: true } } {
  const errors: { email?: true; phone?: true } = {};
  const email = raw.email?.trim() ? normalizeEmail(raw.email) : null;
  if (email !== null && (email.length > 254 || !z.email().safeParse(email).success)) errors.email = true;
  let phone: string | null = null;
  if (raw.phone?.trim()) {
    phone = normalizePhone(raw.phone) ?? null;
    if (phone === null) errors.phone = true;
  }
  return { subject: { email, phone }, errors };
}
