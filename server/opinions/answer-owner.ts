// Whose an answer to an institution form is: the institution, its type, the reference its receipt
// quoted, which version of its answer this is (with the others) and the letters sent with it.
// Every round of an invitation's answer has a draft token derived from the invitation and the
// round (draftTokenOf), and a completed response keeps that token's hash: so the versions are
// found without storing anything more.
import type { Executor } from '../platform/db/connection';
import { hashToken } from '../platform/tokens';
import * as invitationRepository from './invitation.repository';
import type { InvitationView, LetterSummary } from './invitation.repository';
import { draftTokenOf, receiptReference } from './invitation.service';

export interface AnswerVersion {
  responseId: number;
  /** 1 for the first answer, 2 after the first change, … */
  number: number;
  status: 'complete' | 'draft';
  submittedAt: string | null;
  reference: string | null;
  /** The version that counts now (the invitation points at it). */
  current: boolean;
  letters: LetterSummary[];
}

export type AnswerOwner =
  | {
      kind: 'invitation';
      invitationId: number;
      name: string;
      group: string;
      selfRegistered: boolean;
      revoked: boolean;
      version: AnswerVersion;
      /** All versions, this one included, oldest first. */
      versions: AnswerVersion[];
    }
  /** An answer to an institution form that came through no invitation (typed in from paper, say). */
  | { kind: 'none' };

interface RoundRow {
  id: number;
  status: 'complete' | 'draft';
  submitted_at: string | null;
  draft_token_hash: string | null;
}

/** Pure: the versions of one invitation's answer, from its rounds' responses and its letters. */
export function versionsOf(invitation: Pick<InvitationView, 'response_id'>, rounds: { number: number; row: RoundRow }[], letters: LetterSummary[]): AnswerVersion[] {
  return rounds
    .sort((a, b) => a.number - b.number)
    .map(({ number, row }) => ({
      responseId: row.id,
      number,
      status: row.status,
      submittedAt: row.status === 'complete' ? row.submitted_at : null,
      reference: row.status === 'complete' && row.submitted_at ? receiptReference(row.id, row.submitted_at) : null,
      current: invitation.response_id === row.id,
      letters: letters.filter((l) => l.response_id === row.id),
    }));
}

/**
 * The owners of the given responses of an institution form: each response an invitation's round
 * answered gets its institution; any other gets { kind: 'none' }.
 */
export async function answerOwners(db: Executor, secret: string, surveySlug: string, responseIds: number[]): Promise<Map<number, AnswerOwner>> {
  const owners = new Map<number, AnswerOwner>();
  if (responseIds.length === 0) return owners;
  const invitations = await invitationRepository.listForSurvey(db, surveySlug);
  const roundOf = new Map<string, { invitation: InvitationView; number: number }>();
  for (const invitation of invitations) {
    for (let number = 1; number <= invitation.version; number++) {
      roundOf.set(hashToken(draftTokenOf(secret, { id: invitation.id, version: number })), { invitation, number });
    }
  }
  // Only the invitations whose rounds answered one of the asked responses are read further.
  const asked = await db
    .selectFrom('responses')
    .select(['id', 'draft_token_hash'])
    .where('survey_slug', '=', surveySlug)
    .where('id', 'in', responseIds)
    .execute();
  const concerned = new Map<number, InvitationView>();
  for (const row of asked) {
    const round = row.draft_token_hash ? roundOf.get(row.draft_token_hash) : undefined;
    if (round) concerned.set(round.invitation.id, round.invitation);
    else owners.set(row.id, { kind: 'none' });
  }
  if (concerned.size === 0) return owners;
  const hashes = [...roundOf.entries()].filter(([, round]) => concerned.has(round.invitation.id)).map(([hash]) => hash);
  const rows: RoundRow[] = await db
    .selectFrom('responses')
    .select(['id', 'status', 'submitted_at', 'draft_token_hash'])
    .where('survey_slug', '=', surveySlug)
    .where('draft_token_hash', 'in', hashes)
    .execute();
  const letters = await invitationRepository.lettersOf(db, [...concerned.keys()]);
  for (const invitation of concerned.values()) {
    const rounds = rows.filter((row) => roundOf.get(row.draft_token_hash!)?.invitation.id === invitation.id).map((row) => ({ number: roundOf.get(row.draft_token_hash!)!.number, row }));
    const versions = versionsOf(invitation, rounds, letters.filter((l) => l.invitation_id === invitation.id));
    for (const version of versions) {
      if (!responseIds.includes(version.responseId)) continue;
      owners.set(version.responseId, {
        kind: 'invitation',
        invitationId: invitation.id,
        name: invitation.stakeholderName,
        group: invitation.stakeholderGroup,
        selfRegistered: invitation.self_registered === 1,
        revoked: invitation.revoked_at !== null,
        version,
        versions,
      });
    }
  }
  return owners;
}
