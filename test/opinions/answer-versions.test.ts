// The pure parts of "whose answer is this": the versions of an invitation's answer and what a
// receipt says of letters.
import { versionsOf } from '../../server/opinions/answer-owner';
import { receiptLetters } from '../../server/opinions/invitation.service';

const letter = (id: number, responseId: number | null) => ({ id, invitation_id: 1, file_name: `y${id}.pdf`, size: 2048, pages: 2, uploaded_at: '2026-11-21T07:00:00.000Z', response_id: responseId });

describe('versionsOf', () => {
  it('numbers the rounds, marks the one that counts, gives each its reference and its own letters', () => {
    const rounds = [
      { number: 2, row: { id: 9, status: 'complete' as const, submitted_at: '2026-11-23T07:00:00.000Z', draft_token_hash: 'b' } },
      { number: 1, row: { id: 4, status: 'complete' as const, submitted_at: '2026-11-21T07:00:00.000Z', draft_token_hash: 'a' } },
      { number: 3, row: { id: 12, status: 'draft' as const, submitted_at: null, draft_token_hash: 'c' } },
    ];
    const versions = versionsOf({ response_id: 9 }, rounds, [letter(1, 4), letter(2, null), letter(3, 9)]);
    expect(versions.map((v) => [v.number, v.responseId, v.status, v.reference, v.current, v.letters.map((l) => l.id)])).toEqual([
      [1, 4, 'complete', 'PD-2026-000004', false, [1]],
      [2, 9, 'complete', 'PD-2026-000009', true, [3]],
      [3, 12, 'draft', null, false, []],
    ]);
  });
});

describe('receiptLetters', () => {
  it("names this answer's letters, and the earlier versions' apart; letters not yet sent are neither", () => {
    expect(receiptLetters([letter(1, 4), letter(2, 9), letter(3, null)], 9)).toEqual({
      attached: [{ fileName: 'y2.pdf', size: 2048, pages: 2 }],
      earlier: [{ fileName: 'y1.pdf', size: 2048, pages: 2 }],
    });
    expect(receiptLetters([], 9)).toEqual({ attached: [], earlier: [] });
  });
});
