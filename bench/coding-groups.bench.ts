// How long proposing themes takes for 10,000 uncoded answers (aim: under 15 s on a 2-core
// machine, without blocking other requests). The answers are synthetic: sentences of the tests'
// 8-topic sample recombined, with other topics mixed in, Turkish letters dropped and street
// names and numbers added, so the vocabulary grows as a real one does. The baseline, measured in
// the same run on the same answers, is building their TF-IDF vectors alone: the ratio is what the
// grouping costs beyond reading the words once. Run: npx tsx bench/coding-groups.bench.ts [10000]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { proposeGroups, proposeGroupsSteps, vectorize, type GroupableAnswer } from '../server/analysis/coding/answer-groups';
import { runChunked } from '../server/analysis/coding/groups.jobs';
import { projectRoot } from '../server/platform/paths';

interface Labelled {
  topic: string;
  text: string;
}

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ASCII: Record<string, string> = { ç: 'c', ğ: 'g', ı: 'i', ö: 'o', ş: 's', ü: 'u', Ç: 'C', Ğ: 'G', İ: 'I', Ö: 'O', Ş: 'S', Ü: 'U' };
const STREETS = ['Atatürk', 'Cumhuriyet', 'İnönü', 'Gazi', 'Fatih', 'Barış', 'Çamlık', 'Yıldız', 'Gül', 'Lale', 'Menekşe', 'Kavak', 'Çınar', 'Zeytin', 'Deniz'];

export function syntheticAnswers(count: number, sample: Labelled[], seed = 1): (GroupableAnswer & { topic: string })[] {
  const next = random(seed);
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)]!;
  const byTopic = new Map<string, string[]>();
  for (const a of sample) byTopic.set(a.topic, [...(byTopic.get(a.topic) ?? []), a.text]);
  const topics = [...byTopic.keys()];
  return Array.from({ length: count }, (_, i) => {
    const topic = pick(topics);
    const parts = [pick(byTopic.get(topic)!)];
    if (next() < 0.4) parts.push(pick(byTopic.get(topic)!));
    if (next() < 0.15) parts.push(pick(byTopic.get(pick(topics))!));
    if (next() < 0.3) parts.push(`${pick(STREETS)} ${next() < 0.5 ? 'Caddesi' : 'Sokak'} ${1 + Math.floor(next() * 300)} civarında.`);
    let text = parts.join(' ');
    if (next() < 0.2) text = text.replace(/[çğıöşüÇĞİÖŞÜ]/g, (c) => ASCII[c]!);
    return { id: i + 1, text, topic };
  });
}

function median(times: number[]): number {
  return [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

async function main(): Promise<void> {
  const count = Number(process.argv[2]) > 0 ? Number(process.argv[2]) : 10_000;
  const cpus = os.cpus();
  console.log(`Machine: ${cpus.length} × ${cpus[0]?.model.trim()}, Node ${process.version}`);
  const sample = (JSON.parse(fs.readFileSync(path.join(projectRoot, 'test/fixtures/coding/answers-8-topics.json'), 'utf8')) as { answers: Labelled[] }).answers;
  const answers = syntheticAnswers(count, sample);
  // Warm the stemmer's cache and the JIT once, as a running server would be.
  proposeGroups(answers.slice(0, 500));

  const baseline: number[] = [];
  const grouping: number[] = [];
  let groups = 0;
  let pure = 0;
  for (let run = 0; run < 3; run++) {
    let start = performance.now();
    vectorize(answers);
    baseline.push(performance.now() - start);
    start = performance.now();
    const proposal = proposeGroups(answers);
    grouping.push(performance.now() - start);
    groups = proposal.groups.length;
    const topicOf = new Map(answers.map((a) => [a.id, a.topic]));
    pure = proposal.groups.reduce((sum, g) => {
      const counts = new Map<string, number>();
      for (const id of g.memberIds) counts.set(topicOf.get(id)!, (counts.get(topicOf.get(id)!) ?? 0) + 1);
      return sum + Math.max(...counts.values());
    }, 0);
  }
  // The way the server runs it: in slices, letting other requests in between.
  let longestPause = 0;
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    longestPause = Math.max(longestPause, now - last);
    last = now;
  }, 1);
  const chunkedStart = performance.now();
  await runChunked(proposeGroupsSteps(answers), () => undefined);
  const chunkedMs = performance.now() - chunkedStart;
  clearInterval(ticker);

  const b = median(baseline);
  const g = median(grouping);
  console.log(`${count} answers, ${groups} groups, purity ${(pure / count).toFixed(3)} (median of 3 runs)`);
  console.log(`baseline  TF-IDF vectors only       ${b.toFixed(0).padStart(7)} ms`);
  console.log(`proposing groups (at once)          ${g.toFixed(0).padStart(7)} ms   ${(g / b).toFixed(1)} × baseline   target < 15000 ms: ${g < 15_000 ? 'met' : 'MISSED'}`);
  console.log(`proposing groups (in slices)        ${chunkedMs.toFixed(0).padStart(7)} ms   longest pause of the event loop ${longestPause.toFixed(0)} ms`);
}

if (require.main === module) void main();
