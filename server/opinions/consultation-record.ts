// The consultation record (T14, Law 5393 art. 41 evidence): who was asked, when, how often they were
// reminded, and who answered. Pure: invitations in, rows out. One row per institution, however many
// invitations it got (a revoked one and its replacement, or its own request merged in).
import { compareTurkish } from '../platform/text';

export interface RecordInvitation {
  id: number;
  stakeholder_id: number;
  stakeholderName: string;
  stakeholderGroup: string;
  created_at: string;
  reminder_count: number;
  reminded_at: string | null;
  submitted_at: string | null;
  revoked_at: string | null;
  response_id: number | null;
  self_registered: number;
  /** A planner excluded the answer (test, spam…): it does not count as answered. */
  answerExclusion?: string | null;
}

export type RecordStatus = 'answered' | 'not_answered' | 'revoked';

export interface InstitutionRecord {
  stakeholderId: number;
  name: string;
  group: string;
  /** The first invitation (or, for an institution that asked on its own, its confirmation). */
  invitedAt: string;
  selfRegistered: boolean;
  reminders: number;
  lastRemindedAt: string | null;
  answeredAt: string | null;
  /** The response that counts: the latest version. */
  responseId: number | null;
  status: RecordStatus;
  letters: number;
}

export interface GroupRecord {
  group: string;
  /** Institutions the municipality invited (revoked invitations that were never answered do not count). */
  invited: number;
  /** Of those, how many answered. */
  answered: number;
  /** answered / invited, or null when nobody was invited. */
  rate: number | null;
  /** Institutions that asked to take part on their own and answered. */
  selfAnswered: number;
}

/** Where a group sits in the register's order; unknown groups last. */
function orderOf(groupOrder: readonly string[]): (group: string) => number {
  return (group) => {
    const index = groupOrder.indexOf(group);
    return index === -1 ? Number.MAX_SAFE_INTEGER : index;
  };
}

/** One row per institution, ordered by group (in the register's order) and name. */
export function institutionRecords(
  invitations: RecordInvitation[],
  lettersByInvitation: Map<number, number> = new Map(),
  groupOrder: readonly string[] = [],
): InstitutionRecord[] {
  const byStakeholder = new Map<number, RecordInvitation[]>();
  for (const invitation of invitations) byStakeholder.set(invitation.stakeholder_id, [...(byStakeholder.get(invitation.stakeholder_id) ?? []), invitation]);
  const records: InstitutionRecord[] = [];
  for (const [stakeholderId, own] of byStakeholder) {
    const sorted = [...own].sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id);
    const answered = sorted.filter((i) => i.submitted_at !== null && !i.answerExclusion).sort((a, b) => b.submitted_at!.localeCompare(a.submitted_at!));
    const live = sorted.filter((i) => i.revoked_at === null);
    const latest = answered[0];
    const reminded = sorted.map((i) => i.reminded_at).filter((at): at is string => at !== null).sort();
    records.push({
      stakeholderId,
      name: sorted[0]!.stakeholderName,
      group: sorted[0]!.stakeholderGroup,
      invitedAt: sorted[0]!.created_at,
      selfRegistered: sorted.every((i) => i.self_registered === 1),
      reminders: sorted.reduce((sum, i) => sum + i.reminder_count, 0),
      lastRemindedAt: reminded.at(-1) ?? null,
      answeredAt: latest?.submitted_at ?? null,
      responseId: latest?.response_id ?? null,
      status: latest ? 'answered' : live.length > 0 ? 'not_answered' : 'revoked',
      letters: sorted.reduce((sum, i) => sum + (lettersByInvitation.get(i.id) ?? 0), 0),
    });
  }
  const order = orderOf(groupOrder);
  return records.sort((a, b) => order(a.group) - order(b.group) || a.group.localeCompare(b.group) || compareTurkish(a.name, b.name));
}

/** Per group, in the order given (the register's group order), plus a total. Groups nobody was asked from are left out. */
export function groupRecords(records: InstitutionRecord[], groupOrder: readonly string[]): { groups: GroupRecord[]; total: GroupRecord } {
  const empty = (group: string): GroupRecord => ({ group, invited: 0, answered: 0, rate: null, selfAnswered: 0 });
  const byGroup = new Map<string, GroupRecord>();
  const total = empty('total');
  for (const record of records) {
    const row = byGroup.get(record.group) ?? empty(record.group);
    byGroup.set(record.group, row);
    for (const target of [row, total]) {
      if (record.selfRegistered) {
        if (record.status === 'answered') target.selfAnswered++;
      } else if (record.status !== 'revoked') {
        target.invited++;
        if (record.status === 'answered') target.answered++;
      }
    }
  }
  const withRate = (row: GroupRecord): GroupRecord => ({ ...row, rate: row.invited > 0 ? row.answered / row.invited : null });
  const order = orderOf(groupOrder);
  const groups = [...byGroup.values()].filter((row) => row.invited + row.selfAnswered > 0).sort((a, b) => order(a.group) - order(b.group)).map(withRate);
  return { groups, total: withRate(total) };
}
