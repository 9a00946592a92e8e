// Synthetic open answers must make coding real work: many ways of saying each topic, a second
// point now and then, some typed without Turkish letters; and the same seed gives the same answers.
import { OPINION_TOPIC_IDS, syntheticOpinion } from '../../server/surveys/synthetic-opinions';
import { randomSource } from '../../server/surveys/synthetic-responses';

const sample = (seed: number, n: number) => {
  const random = randomSource(seed);
  return Array.from({ length: n }, () => syntheticOpinion(random));
};

it('says each topic many ways, mixes in second points and phone-typed answers, and repeats for a seed', () => {
  const answers = sample(3, 2000);
  expect(sample(3, 2000)).toEqual(answers);
  expect(new Set(answers.map((a) => a.text)).size).toBeGreaterThan(800);
  expect(new Set(answers.flatMap((a) => a.topics))).toEqual(new Set(OPINION_TOPIC_IDS));
  const twoPoints = answers.filter((a) => a.topics.length === 2).length / answers.length;
  expect(twoPoints).toBeGreaterThan(0.1);
  expect(twoPoints).toBeLessThan(0.3);
  const ascii = answers.filter((a) => !/[çğıöşüÇĞİÖŞÜ]/.test(a.text) && /[a-z]/.test(a.text)).length / answers.length;
  expect(ascii).toBeGreaterThan(0.05);
  // Sentences start with a capital; one after an opener goes on in lower case.
  for (const { text } of answers) expect(text.charAt(0)).toBe(text.charAt(0).toLocaleUpperCase('tr-TR'));
  expect(answers.some((a) => a.text.startsWith('Bence ') && /^Bence \p{Ll}/u.test(a.text))).toBe(true);
});
