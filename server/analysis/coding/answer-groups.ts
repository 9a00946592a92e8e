// Proposes themes from the uncoded answers of a question: answers are TF-IDF vectors over Turkish
// stems (stop words left out), each smoothed with its nearest neighbours, grouped by spherical
// k-means on cosine similarity started from the densest answers. Everything runs in this process
// (KVKK: the answers never leave the server). Pure and deterministic, with no random start: the
// same answers give the same groups, so a planner who comes back sees what they saw.
import { foldTurkish } from '../../platform/text';
import { maskPersonalData } from './personal-data';
import { isStopWord as isTurkishStopWord, termOf } from './turkish-text';

export interface GroupableAnswer {
  id: number;
  text: string;
}

/** A sparse unit vector: term indexes ascending, with their weights. */
interface SparseVector {
  terms: Uint32Array;
  weights: Float64Array;
}

/** The answers as vectors, kept with a proposal so a group can be split without reading them again. */
export interface Corpus {
  ids: number[];
  texts: string[];
  vectors: SparseVector[];
  /** term index → the word people wrote most often for it ("çöpler" rather than "cop"). */
  surface: string[];
  rowOf: Map<number, number>;
}

export interface AnswerGroup {
  /** Stable within a proposal: "3", and "3.1", "3.2" for the parts of a split. */
  key: string;
  topTerms: string[];
  size: number;
  memberIds: number[];
  /** The members closest to the group's centre, with personal data masked. */
  examples: GroupableAnswer[];
}

export interface Proposal {
  corpus: Corpus;
  groups: AnswerGroup[];
  /** Answers with no word that tells them apart (empty after stop words, or only rare words). */
  ungroupedIds: number[];
}

export const GROUPING = {
  /** Between 2 and this many groups; groupsPerRoot × √n in between (n = answers with words): 14 for 200, 40 for 10,000. */
  maxGroups: 40,
  groupsPerRoot: 1,
  iterations: 30,
  topTerms: 5,
  examples: 3,
  /** Terms in fewer answers than this do not count once there are 20 answers or more (typos, names). */
  minDocumentFrequency: 2,
  /** An answer closer than this (cosine) to every group's centre is left ungrouped. */
  minSimilarity: 0.05,
  /** Each answer borrows the words of up to this many neighbours at cosine ≥ neighbourSimilarity, weighted by weight × cosine. */
  neighbours: 10,
  neighbourSimilarity: 0.2,
  neighbourWeight: 1,
  /** Terms in more than this share of the answers are not used to look for neighbours (too slow, too vague). */
  neighbourTermShare: 0.25,
  /** Two starting answers are at most this alike (cosine). */
  seedSeparation: 0.2,
} as const;

/**
 * Words every request uses whatever its topic ("yapılsın", "istiyoruz", "mahallemizde"): left to
 * themselves, short answers group by how they ask, not by what they ask for. Listed as written,
 * compared by stem.
 */
const REQUEST_WORDS: ReadonlySet<string> = new Set(
  [
    'yapılsın', 'yapılmalı', 'yapılması', 'yapılmıyor', 'yapılıyor', 'yapsın', 'olsun', 'olmalı', 'olması', 'oluyor', 'istiyoruz', 'istiyorum',
    'mahalle', 'mahallede', 'mahallemiz', 'ilçe', 'ilçemiz', 'lazım', 'gerekiyor', 'gerek', 'gelsin', 'geliyor', 'verilsin', 'konulsun',
    'konulmalı', 'artırılsın', 'artırılmalı', 'arttırılsın', 'artsın', 'artmalı', 'yetersiz', 'yeterli', 'fazla', 'sayısı', 'hiç', 'hala',
    'açılsın', 'düzenlensin', 'düzenlenmeli', 'yeni', 'yenilensin', 'kurulsun', 'kurulmalı', 'sorun', 'sorunu', 'şikayet', 'ettik', 'değişen',
    'önce', 'sonra', 'zaman', 'sürekli', 'sık', 'uzun', 'büyük', 'küçük', 'iyi', 'kötü', 'güzel', 'bütün', 'herkes', 'iyileştirilmeli',
    'iyileştirilsin', 'çözülmeli', 'çözülsün',
  ].map((word) => termOf(word)),
);

function isStopWord(word: string, term: string): boolean {
  return term.length < 2 || REQUEST_WORDS.has(term) || isTurkishStopWord(word);
}

/** Words repeat across thousands of answers: each distinct word is stemmed and checked once (null: a stop word). */
const termCache = new Map<string, string | null>();
function termOfWord(word: string): string | null {
  let term = termCache.get(word);
  if (term === undefined) {
    if (termCache.size > 200_000) termCache.clear();
    const stem = termOf(word);
    term = isStopWord(word, stem) ? null : stem;
    termCache.set(word, term);
  }
  return term;
}

function tokens(text: string): { term: string; word: string }[] {
  const found: { term: string; word: string }[] = [];
  // The same words as turkish-text's words(), lower-cased once per answer rather than once per
  // word: locale-aware lower-casing is what a 10,000-answer proposal would otherwise spend its time on.
  for (const word of text.toLocaleLowerCase('tr-TR').split(/[^\p{L}\p{N}]+/u)) {
    if (word === '') continue;
    const term = termOfWord(word);
    if (term !== null) found.push({ term, word });
  }
  return found;
}

/** How often progress is reported while vectors are built. */
const STEP = 250;

/**
 * Builds the TF-IDF vectors (sublinear tf, idf = ln(N/df), unit length), yielding its progress (0–1).
 */
export function* vectorizeSteps(answers: readonly GroupableAnswer[]): Generator<number, Corpus> {
  const docs: Map<string, number>[] = [];
  const df = new Map<string, number>();
  const surfaceCounts = new Map<string, Map<string, number>>();
  for (let i = 0; i < answers.length; i++) {
    const counts = new Map<string, number>();
    for (const { term, word } of tokens(answers[i]!.text)) {
      counts.set(term, (counts.get(term) ?? 0) + 1);
      let forms = surfaceCounts.get(term);
      if (!forms) surfaceCounts.set(term, (forms = new Map()));
      forms.set(word, (forms.get(word) ?? 0) + 1);
    }
    for (const term of counts.keys()) df.set(term, (df.get(term) ?? 0) + 1);
    docs.push(counts);
    if (i % STEP === STEP - 1) yield (i + 1) / answers.length;
  }
  yield 1;
  const n = answers.length;
  const minDf = n >= 20 ? GROUPING.minDocumentFrequency : 1;
  // Indexes in sorted term order, so nothing depends on the order answers came in.
  const kept = [...df.entries()].filter(([, count]) => count >= minDf && count < n).map(([term]) => term);
  kept.sort();
  const index = new Map(kept.map((term, i) => [term, i]));
  const idf = kept.map((term) => Math.log(n / df.get(term)!));
  const surface = kept.map((term) => {
    let best = term;
    let bestCount = -1;
    for (const [word, count] of surfaceCounts.get(term)!) if (count > bestCount || (count === bestCount && word < best)) [best, bestCount] = [word, count];
    return best;
  });
  yield 1;
  const vectors = docs.map((counts) => {
    const entries: [number, number][] = [];
    for (const [term, count] of counts) {
      const i = index.get(term);
      if (i !== undefined) entries.push([i, (1 + Math.log(count)) * idf[i]!]);
    }
    return unit(entries);
  });
  return { ids: answers.map((a) => a.id), texts: answers.map((a) => a.text), vectors, surface, rowOf: new Map(answers.map((a, i) => [a.id, i])) };
}

export function vectorize(answers: readonly GroupableAnswer[]): Corpus {
  return runSteps(vectorizeSteps(answers));
}

function dot(v: SparseVector, centre: Float64Array): number {
  let sum = 0;
  for (let j = 0; j < v.terms.length; j++) sum += v.weights[j]! * centre[v.terms[j]!]!;
  return sum;
}

/** Cosine of two unit sparse vectors. */
function cosine(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let sum = 0;
  while (i < a.terms.length && j < b.terms.length) {
    if (a.terms[i] === b.terms[j]) sum += a.weights[i++]! * b.weights[j++]!;
    else if (a.terms[i]! < b.terms[j]!) i++;
    else j++;
  }
  return sum;
}

/**
 * Each answer's vector with its nearest neighbours' added in (weighted by their cosine): answers
 * are a handful of words, and two answers about buses may share none ("otobüs seyrek" / "sefer
 * az") while their neighbours link them. Neighbours are found through an index of terms; terms in
 * more than a tenth of the answers are too common to find neighbours by.
 */
function* smoothSteps(corpus: Corpus, rows: readonly number[]): Generator<number, { vectors: SparseVector[]; density: Float64Array }> {
  const n = rows.length;
  const postings = new Map<number, number[]>();
  rows.forEach((row, i) => {
    for (const term of corpus.vectors[row]!.terms) {
      let list = postings.get(term);
      if (!list) postings.set(term, (list = []));
      list.push(i);
    }
  });
  yield 0;
  const common = Math.max(20, n * GROUPING.neighbourTermShare);
  const scores = new Float64Array(n);
  const smoothed: SparseVector[] = [];
  const density = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = corpus.vectors[rows[i]!]!;
    const touched: number[] = [];
    for (let j = 0; j < v.terms.length; j++) {
      const list = postings.get(v.terms[j]!)!;
      if (list.length > common) continue;
      for (const other of list) {
        if (other === i) continue;
        if (scores[other] === 0) touched.push(other);
        scores[other]! += v.weights[j]! * weightOf(corpus.vectors[rows[other]!]!, v.terms[j]!);
      }
    }
    const neighbours = touched
      .filter((other) => scores[other]! >= GROUPING.neighbourSimilarity)
      .sort((a, b) => scores[b]! - scores[a]! || a - b)
      .slice(0, GROUPING.neighbours);
    const sum = new Map<number, number>();
    for (let j = 0; j < v.terms.length; j++) sum.set(v.terms[j]!, v.weights[j]!);
    for (const other of neighbours) {
      density[i]! += scores[other]!;
      const u = corpus.vectors[rows[other]!]!;
      const w = GROUPING.neighbourWeight * scores[other]!;
      for (let j = 0; j < u.terms.length; j++) sum.set(u.terms[j]!, (sum.get(u.terms[j]!) ?? 0) + w * u.weights[j]!);
    }
    for (const other of touched) scores[other] = 0;
    smoothed.push(unit([...sum.entries()]));
    // An answer with common words has thousands of candidates: report more often here.
    if (i % 20 === 19) yield (i + 1) / n;
  }
  return { vectors: smoothed, density };
}

function weightOf(v: SparseVector, term: number): number {
  let lo = 0;
  let hi = v.terms.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (v.terms[mid] === term) return v.weights[mid]!;
    if (v.terms[mid]! < term) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

function unit(entries: [number, number][]): SparseVector {
  entries.sort((a, b) => a[0] - b[0]);
  const norm = Math.sqrt(entries.reduce((sum, [, w]) => sum + w * w, 0)) || 1;
  return { terms: Uint32Array.from(entries, ([i]) => i), weights: Float64Array.from(entries, ([, w]) => w / norm) };
}

/** How many groups to look for: groupsPerRoot × √n, at least 2, at most GROUPING.maxGroups. */
export function groupCount(n: number): number {
  return Math.max(Math.min(2, n), Math.min(GROUPING.maxGroups, Math.round(GROUPING.groupsPerRoot * Math.sqrt(n))));
}

interface Clustering {
  /** Group of each vector, −1 for one too far from every centre. */
  assignment: Int32Array;
  centres: Float64Array[];
}

/**
 * Starting answers for k-means: the answers with the most close neighbours (the middle of a
 * topic), each unlike the ones already chosen. Outliers never start a group.
 */
function denseSeeds(vectors: readonly SparseVector[], density: Float64Array, k: number): number[] {
  const order = [...density.keys()].sort((a, b) => density[b]! - density[a]! || a - b);
  const seeds: number[] = [];
  for (const i of order) {
    if (seeds.length === k) break;
    if (seeds.every((seed) => cosine(vectors[i]!, vectors[seed]!) < GROUPING.seedSeparation)) seeds.push(i);
  }
  // Too few distinct enough answers (a group being split): the next start is the answer least
  // like every start so far.
  while (seeds.length < k && seeds.length < vectors.length) {
    let farthest = -1;
    let closeness = Infinity;
    for (const i of order) {
      if (seeds.includes(i)) continue;
      const nearest = Math.max(...seeds.map((seed) => cosine(vectors[i]!, vectors[seed]!)));
      if (nearest < closeness) [farthest, closeness] = [i, nearest];
    }
    seeds.push(farthest);
  }
  return seeds;
}

/** Spherical k-means from the given starting answers, yielding its progress (0–1). */
function* kMeansSteps(vectors: readonly SparseVector[], dims: number, seeds: readonly number[]): Generator<number, Clustering> {
  const n = vectors.length;
  const toDense = (v: SparseVector) => {
    const centre = new Float64Array(dims);
    for (let j = 0; j < v.terms.length; j++) centre[v.terms[j]!] = v.weights[j]!;
    return centre;
  };
  const centres = seeds.map((i) => toDense(vectors[i]!));
  const assignment = new Int32Array(n).fill(-1);
  for (let iteration = 0; iteration < GROUPING.iterations; iteration++) {
    let moved = 0;
    for (let i = 0; i < n; i++) {
      // An answer sharing no word with any centre stays out rather than padding the first group.
      let best = -1;
      let bestScore: number = GROUPING.minSimilarity;
      for (let c = 0; c < centres.length; c++) {
        const score = dot(vectors[i]!, centres[c]!);
        if (score > bestScore) [best, bestScore] = [c, score];
      }
      if (assignment[i] !== best) moved++;
      assignment[i] = best;
      if (i % STEP === STEP - 1) yield (iteration + i / n) / GROUPING.iterations;
    }
    for (const centre of centres) centre.fill(0);
    for (let i = 0; i < n; i++) {
      const centre = centres[assignment[i]!];
      if (!centre) continue;
      const v = vectors[i]!;
      for (let j = 0; j < v.terms.length; j++) centre[v.terms[j]!]! += v.weights[j]!;
    }
    for (const centre of centres) {
      let norm = 0;
      for (const w of centre) norm += w * w;
      norm = Math.sqrt(norm);
      if (norm > 0) for (let d = 0; d < dims; d++) centre[d]! /= norm;
    }
    yield (iteration + 1) / GROUPING.iterations;
    if (moved === 0) break;
  }
  return { assignment, centres };
}

/** Groups the rows, largest first, each with its top terms and examples; rows close to no group come back loose. */
function* groupSteps(corpus: Corpus, rows: readonly number[], k: number, keyOf: (i: number) => string): Generator<number, { groups: AnswerGroup[]; looseIds: number[] }> {
  if (rows.length === 0) return { groups: [], looseIds: [] };
  const { vectors, density } = yield* scaled(smoothSteps(corpus, rows), 0, 0.3);
  const seeds = denseSeeds(vectors, density, Math.min(k, rows.length));
  const { assignment, centres } = yield* scaled(kMeansSteps(vectors, corpus.surface.length, seeds), 0.3, 1);
  const members: number[][] = centres.map(() => []);
  const looseIds: number[] = [];
  rows.forEach((row, i) => {
    const list = members[assignment[i]!];
    if (list) list.push(row);
    else looseIds.push(corpus.ids[row]!);
  });
  const found = members
    .map((list, c) => ({ list, centre: centres[c]! }))
    .filter((g) => g.list.length > 0)
    .sort((a, b) => b.list.length - a.list.length || corpus.ids[a.list[0]!]! - corpus.ids[b.list[0]!]!);
  const groups = found.map(({ list, centre }, i) => {
    const top = [...centre.keys()]
      .filter((d) => centre[d]! > 0)
      .sort((a, b) => centre[b]! - centre[a]! || a - b)
      .slice(0, GROUPING.topTerms);
    const closest = list
      .map((row) => ({ row, score: dot(corpus.vectors[row]!, centre) }))
      .sort((a, b) => b.score - a.score || corpus.ids[a.row]! - corpus.ids[b.row]!)
      .slice(0, GROUPING.examples);
    return {
      key: keyOf(i),
      topTerms: top.map((d) => corpus.surface[d]!),
      size: list.length,
      memberIds: list.map((row) => corpus.ids[row]!).sort((a, b) => a - b),
      examples: closest.map(({ row }) => ({ id: corpus.ids[row]!, text: maskPersonalData(corpus.texts[row]!) })),
    };
  });
  return { groups, looseIds: looseIds.sort((a, b) => a - b) };
}

/** Proposes groups for the answers, yielding progress (0–1) so a caller can share the event loop. */
export function* proposeGroupsSteps(answers: readonly GroupableAnswer[]): Generator<number, Proposal> {
  const corpus: Corpus = yield* scaled(vectorizeSteps(answers), 0, 0.2);
  const rows: number[] = [];
  const empty: number[] = [];
  corpus.vectors.forEach((v, row) => (v.terms.length > 0 ? rows.push(row) : empty.push(corpus.ids[row]!)));
  const { groups, looseIds } = yield* scaled(
    groupSteps(corpus, rows, groupCount(rows.length), (i) => String(i + 1)),
    0.2,
    1,
  );
  return { corpus, groups, ungroupedIds: [...empty, ...looseIds].sort((a, b) => a - b) };
}

export function proposeGroups(answers: readonly GroupableAnswer[]): Proposal {
  return runSteps(proposeGroupsSteps(answers));
}

/** A group cut into 2 or 3 smaller ones (3 from 12 members up), keyed "<key>.1", "<key>.2"…; undefined if it has too few members with words. */
export function splitGroup(corpus: Corpus, group: AnswerGroup): AnswerGroup[] | undefined {
  const rows = group.memberIds.map((id) => corpus.rowOf.get(id)).filter((row): row is number => row !== undefined && corpus.vectors[row]!.terms.length > 0);
  if (rows.length < 2) return undefined;
  const { groups } = runSteps(groupSteps(corpus, rows, rows.length >= 12 ? 3 : 2, (i) => `${group.key}.${i + 1}`));
  // Members close to neither part stay with the first, the largest: a split loses no answer.
  const placed = new Set(groups.flatMap((g) => g.memberIds));
  const left = group.memberIds.filter((id) => !placed.has(id));
  if (groups.length < 2) return undefined;
  groups[0] = { ...groups[0]!, memberIds: [...groups[0]!.memberIds, ...left].sort((a, b) => a - b), size: groups[0]!.size + left.length };
  return groups;
}

/** The answers most like the given one (cosine of their vectors), most alike first; none below minScore. */
export function similarAnswers(corpus: Corpus, answerId: number, limit: number, minScore = 0.1): { id: number; text: string; score: number }[] {
  const row = corpus.rowOf.get(answerId);
  if (row === undefined || corpus.vectors[row]!.terms.length === 0) return [];
  const target = corpus.vectors[row]!;
  const scored: { row: number; score: number }[] = [];
  corpus.vectors.forEach((v, other) => {
    if (other === row) return;
    const score = cosine(target, v);
    if (score >= minScore) scored.push({ row: other, score });
  });
  scored.sort((a, b) => b.score - a.score || corpus.ids[a.row]! - corpus.ids[b.row]!);
  return scored.slice(0, limit).map(({ row: r, score }) => ({ id: corpus.ids[r]!, text: maskPersonalData(corpus.texts[r]!), score }));
}

/** Maps a sub-task's progress onto [from, to] of the whole. */
function* scaled<T>(steps: Generator<number, T>, from: number, to: number): Generator<number, T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    yield from + (to - from) * step.value;
  }
}

/** Runs stepped work to its end at once (tests, small inputs). */
export function runSteps<T>(steps: Generator<number, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
