// The planner's review of the GZFT candidates (T16): accept, drop, edit or merge candidates into
// items, change an item, and take a decision back. Each call is one transaction's worth of writes
// with its audit event; the caller passes the candidates its page offered, and what was decided
// since is taken out here, in the transaction, so a stale page cannot decide them again.
import * as audit from '../../platform/audit/audit.repository';
import type { Executor } from '../../platform/db/connection';
import type { SwotKind } from '../coding/coding.table';
import { groupKeyOf, normalStatement, type Candidate } from './swot-candidates';
import * as swotRepository from './swot.repository';

export type ReviewInput =
  | { action: 'accept' | 'drop'; groups: string[] }
  /** One group edited, or several merged, into a new item or into an existing one. */
  | { action: 'combine'; groups: string[]; text: string; kind: SwotKind; into: number | null };

/** Every key recorded, or none: a key another request decided first rolls the whole decision back. */
async function saveAll(trx: Executor, keys: string[], decision: Parameters<typeof swotRepository.saveReviews>[2], itemId: number | null, reviewedBy: number | null, now: Date): Promise<void> {
  if ((await swotRepository.saveReviews(trx, keys, decision, itemId, reviewedBy, now)) < keys.length) throw new StaleReview('a candidate was decided meanwhile');
}

export type ReviewOutcome =
  | { kind: 'saved'; decision: 'accepted' | 'edited' | 'merged' | 'dropped'; candidates: number }
  | { kind: 'nothing_selected' }
  | { kind: 'unknown_candidates' }
  | { kind: 'unknown_item' }
  | { kind: 'text_required' };

/** Thrown inside the transaction when another request decided a candidate first: nothing is kept. */
export class StaleReview extends Error {}

export async function review(trx: Executor, offered: readonly Candidate[], input: ReviewInput, actor: audit.Actor, now: Date): Promise<ReviewOutcome> {
  const groups = [...new Set(input.groups)];
  if (groups.length === 0) return { kind: 'nothing_selected' };
  // What the page offered, less what was decided since it was drawn (read in this transaction).
  const decided = new Set((await swotRepository.reviews(trx)).map((r) => r.candidateKey));
  const pending = offered.filter((c) => !decided.has(c.key));
  const items = await swotRepository.items(trx);
  const byGroup = new Map<string, Candidate[]>();
  for (const candidate of pending) {
    const key = groupKeyOf(candidate);
    if (groups.includes(key)) byGroup.set(key, [...(byGroup.get(key) ?? []), candidate]);
  }
  // A group reviewed meanwhile (or never offered) is refused whole: nothing is half-decided.
  if (byGroup.size !== groups.length) return { kind: 'unknown_candidates' };
  const chosen = [...byGroup.values()];
  const keys = chosen.flat().map((c) => c.key);
  const record = (decision: string, itemId: number | null) =>
    audit.record(trx, { action: 'swot.reviewed', ...audit.by(actor), target: itemId === null ? null : String(itemId), details: { decision, candidates: keys } }, now);

  switch (input.action) {
    case 'drop':
      await saveAll(trx, keys, 'dropped', null, actor.userId, now);
      await record('dropped', null);
      return { kind: 'saved', decision: 'dropped', candidates: keys.length };
    case 'accept':
      for (const group of chosen) {
        // A statement as written: the same words in the same quadrant are one item, however often they come.
        const { kind, text } = group[0]!;
        const same = items.find((item) => item.kind === kind && normalStatement(item.text) === normalStatement(text));
        const itemId = same?.id ?? (await swotRepository.insertItem(trx, kind, text, now));
        await saveAll(trx, group.map((c) => c.key), 'accepted', itemId, actor.userId, now);
        await record('accepted', itemId);
      }
      return { kind: 'saved', decision: 'accepted', candidates: keys.length };
    case 'combine': {
      if (input.into !== null && !items.some((item) => item.id === input.into)) return { kind: 'unknown_item' };
      if (input.into === null && input.text === '') return { kind: 'text_required' };
      const decision = input.into !== null || chosen.length > 1 ? 'merged' : 'edited';
      const itemId = input.into ?? (await swotRepository.insertItem(trx, input.kind, input.text, now));
      await saveAll(trx, keys, decision, itemId, actor.userId, now);
      await record(decision, itemId);
      return { kind: 'saved', decision, candidates: keys.length };
    }
  }
}

export async function changeItem(trx: Executor, itemId: number, kind: SwotKind, text: string, actor: audit.Actor, now: Date): Promise<'saved' | 'not_found'> {
  const item = await swotRepository.findItem(trx, itemId);
  if (!item) return 'not_found';
  await swotRepository.updateItem(trx, itemId, kind, text, now);
  await audit.record(trx, { action: 'swot.item_changed', ...audit.by(actor), target: String(itemId), details: { before: item, kind, text } }, now);
  return 'saved';
}

/** The item goes; the candidates that made it are pending again. */
export async function reopenItem(trx: Executor, itemId: number, actor: audit.Actor, now: Date): Promise<'saved' | 'not_found'> {
  const item = await swotRepository.findItem(trx, itemId);
  if (!item) return 'not_found';
  await swotRepository.deleteItem(trx, itemId);
  await audit.record(trx, { action: 'swot.reopened', ...audit.by(actor), target: String(itemId), details: { item } }, now);
  return 'saved';
}

/** Dropped candidates back to pending. Only dropped ones: an item's candidates go back with the item. */
export async function reopenDropped(trx: Executor, dropped: readonly Candidate[], keys: string[], actor: audit.Actor, now: Date): Promise<'saved' | 'nothing_selected' | 'unknown_candidates'> {
  const wanted = [...new Set(keys)];
  if (wanted.length === 0) return 'nothing_selected';
  if (!wanted.every((key) => dropped.some((c) => c.key === key))) return 'unknown_candidates';
  await swotRepository.deleteReviews(trx, wanted);
  await audit.record(trx, { action: 'swot.reopened', ...audit.by(actor), details: { candidates: wanted } }, now);
  return 'saved';
}
