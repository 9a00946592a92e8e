// Grouping open answers into proposed themes, on the 200-answer, 8-topic Turkish sample the tests
// ship (test/fixtures/coding/answers-8-topics.json, written for the tests).
import fs from 'node:fs';
import path from 'node:path';
import { GROUPING, groupCount, proposeGroups, proposeGroupsSteps, similarAnswers, splitGroup, vectorize, type Proposal } from '../../../server/analysis/coding/answer-groups';
import { runChunked } from '../../../server/analysis/coding/groups.jobs';

interface Labelled {
  topic: string;
  text: string;
}

const sample = (JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/coding/answers-8-topics.json'), 'utf8')) as { answers: Labelled[] }).answers;
const answers = sample.map((a, i) => ({ id: 1000 + i, text: a.text }));
const topicOf = new Map(answers.map((a, i) => [a.id, sample[i]!.topic]));

/**
 * Share of all answers that sit in a group whose most common topic is theirs. Ungrouped answers
 * count as misplaced, so leaving hard answers out does not raise it.
 */
function purity(proposal: Proposal): number {
  let placed = 0;
  for (const group of proposal.groups) {
    const counts = new Map<string, number>();
    for (const id of group.memberIds) counts.set(topicOf.get(id)!, (counts.get(topicOf.get(id)!) ?? 0) + 1);
    placed += Math.max(...counts.values());
  }
  return placed / answers.length;
}

/** The threshold the issue asks for. Measured 0.815 with GROUPING as shipped (14 groups). */
const PURITY_THRESHOLD = 0.75;

describe('proposeGroups on the 8-topic sample', () => {
  const proposal = proposeGroups(answers);

  it('the sample is what the tests say: 200 answers, 25 on each of 8 topics', () => {
    expect(sample).toHaveLength(200);
    expect(new Set(sample.map((a) => a.topic)).size).toBe(8);
  });

  it(`puts answers about the same topic together: purity ≥ ${PURITY_THRESHOLD}`, () => {
    expect(purity(proposal)).toBeGreaterThanOrEqual(PURITY_THRESHOLD);
  });

  it('finds each of the 8 topics as the majority of at least one group', () => {
    const majorities = new Set(
      proposal.groups.map((group) => {
        const counts = new Map<string, number>();
        for (const id of group.memberIds) counts.set(topicOf.get(id)!, (counts.get(topicOf.get(id)!) ?? 0) + 1);
        return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
      }),
    );
    expect([...majorities].sort()).toEqual(['cop', 'deprem', 'hayvan', 'kultur', 'park', 'su', 'ulasim', 'yol']);
  });

  it('looks for √n groups, and places every answer exactly once (in a group or ungrouped)', () => {
    expect(groupCount(200)).toBe(14);
    expect(proposal.groups.length).toBeLessThanOrEqual(14);
    const placed = [...proposal.groups.flatMap((g) => g.memberIds), ...proposal.ungroupedIds].sort((a, b) => a - b);
    expect(placed).toEqual(answers.map((a) => a.id));
    expect(proposal.ungroupedIds.length).toBeLessThanOrEqual(10);
    for (const group of proposal.groups) expect(group.size).toBe(group.memberIds.length);
  });

  it('is deterministic: the same answers give the same groups', () => {
    const again = proposeGroups(answers.map((a) => ({ ...a })));
    expect(again.groups).toEqual(proposal.groups);
    expect(again.ungroupedIds).toEqual(proposal.ungroupedIds);
  });

  it('shows top terms as words people wrote, largest group first, with examples from the group', () => {
    const sizes = proposal.groups.map((g) => g.size);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    const terms = proposal.groups.flatMap((g) => g.topTerms);
    // Surface words with their Turkish letters, not folded stems ("cop", "kopek").
    expect(terms).toEqual(expect.arrayContaining(['çöp', 'otobüs', 'deprem']));
    expect(terms.some((term) => /köpek/.test(term))).toBe(true);
    for (const group of proposal.groups) {
      expect(group.topTerms.length).toBeGreaterThan(0);
      expect(group.examples.length).toBe(Math.min(GROUPING.examples, group.size));
      for (const example of group.examples) expect(group.memberIds).toContain(example.id);
    }
  });

  it('keeps "su" (water): it folds like the stop word "şu" but names a topic', () => {
    const water = proposal.groups.find((g) => g.topTerms.includes('su'));
    expect(water).toBeDefined();
    expect(water!.memberIds.filter((id) => topicOf.get(id) === 'su').length).toBeGreaterThan(water!.size / 2);
  });

  it('leaves out stop words and request words everyone uses', () => {
    const terms = proposal.groups.flatMap((g) => g.topTerms);
    for (const word of ['için', 'çok', 'yapılsın', 'olsun', 'istiyoruz', 've']) expect(terms).not.toContain(word);
  });
});

describe('examples', () => {
  it('mask personal data', () => {
    const withPhone = [...answers, { id: 1, text: 'Çöp konteynerleri taşıyor, beni arayın 0532 123 45 67, ali@example.com' }];
    const proposal = proposeGroups(withPhone);
    const all = proposal.groups.flatMap((g) => g.examples).map((e) => e.text);
    expect(all.join('\n')).not.toMatch(/0532|ali@example/);
    const similar = similarAnswers(vectorize(withPhone), 1000, 200, 0).map((s) => s.text);
    expect(similar.some((text) => text.includes('[telefon]'))).toBe(true);
    expect(similar.join('\n')).not.toMatch(/0532|ali@example/);
  });
});

describe('edge cases', () => {
  it('gives no groups for no answers, and leaves answers without telling words ungrouped', () => {
    expect(proposeGroups([]).groups).toEqual([]);
    const proposal = proposeGroups([
      { id: 1, text: 'Çok iyi ve güzel' },
      { id: 2, text: '...' },
      { id: 3, text: 'Otobüs seferleri az' },
      { id: 4, text: 'Otobüsler seyrek geliyor' },
    ]);
    expect(proposal.ungroupedIds).toEqual(expect.arrayContaining([1, 2]));
    expect(proposal.groups.flatMap((g) => g.memberIds)).toEqual(expect.arrayContaining([3, 4]));
  });
});

describe('splitGroup', () => {
  const proposal = proposeGroups(answers);
  const largest = proposal.groups[0]!;

  it('cuts a group into 2–3 smaller ones that keep every member once', () => {
    const parts = splitGroup(proposal.corpus, largest)!;
    expect(parts.length).toBeGreaterThanOrEqual(2);
    expect(parts.length).toBeLessThanOrEqual(3);
    expect(parts.map((p) => p.key)).toEqual(parts.map((_, i) => `${largest.key}.${i + 1}`));
    expect(parts.flatMap((p) => p.memberIds).sort((a, b) => a - b)).toEqual(largest.memberIds);
    for (const part of parts) expect(part.size).toBeLessThan(largest.size);
  });

  it('refuses a group of one', () => {
    expect(splitGroup(proposal.corpus, { ...largest, memberIds: [largest.memberIds[0]!], size: 1 })).toBeUndefined();
  });
});

describe('similarAnswers', () => {
  const corpus = vectorize(answers);

  it('finds answers on the same topic, most alike first, never the answer itself', () => {
    const bus = answers.find((a) => a.text.startsWith('Otobüs seferleri artırılmalı'))!;
    const similar = similarAnswers(corpus, bus.id, 5);
    expect(similar).toHaveLength(5);
    expect(similar.map((s) => s.id)).not.toContain(bus.id);
    expect(similar.filter((s) => topicOf.get(s.id) === 'ulasim').length).toBeGreaterThanOrEqual(4);
    const scores = similar.map((s) => s.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('gives nothing for an unknown answer', () => {
    expect(similarAnswers(corpus, 42, 5)).toEqual([]);
  });
});

describe('runChunked', () => {
  it('gives the same proposal as running at once, reporting progress between slices', async () => {
    const progress: number[] = [];
    const proposal = await runChunked(proposeGroupsSteps(answers), (share) => progress.push(share), 1);
    expect(proposal.groups).toEqual(proposeGroups(answers).groups);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.every((share) => share >= 0 && share <= 1)).toBe(true);
  });
});
