// The quality checks as pure functions: thresholds, straight lines, answer vectors, networks.
import { loadCatalog } from '../../../server/surveys/survey-catalog';
import { answerRows, type AnswerRow } from '../../../server/surveys/survey-answers';
import { allQuestions } from '../../../server/surveys/survey-definition';
import { evaluate, visibleSections } from '../../../server/surveys/survey-flow';
import { randomSource, syntheticFields } from '../../../server/surveys/synthetic-responses';
import {
  answerVectorHash,
  isSpeeder,
  minimumSeconds,
  networkHash,
  networkPrefix,
  speederThreshold,
  straightLinedMatrices,
} from '../../../server/surveys/quality/quality-checks';
import { BUNDLED_SURVEYS, FIXTURE_SURVEYS } from '../../helpers/test-app';

const citizen = loadCatalog(BUNDLED_SURVEYS).find('vatandas-anketi')!;

function shownFor(fields: Record<string, string | string[]>) {
  const evaluation = evaluate(citizen, fields);
  return { sections: visibleSections(citizen, evaluation), questions: evaluation.visible, answers: evaluation.answers };
}
const rowsOf = (fields: Record<string, string | string[]>): AnswerRow[] => {
  const { answers } = evaluate(citizen, fields);
  return allQuestions(citizen).flatMap((q) => (answers.has(q.id) ? answerRows(q.id, answers.get(q.id)!) : []));
};

describe('speederThreshold', () => {
  it('adds the minimum seconds of the questions shown after the first page, texts by their length', () => {
    const fields = syntheticFields(citizen, randomSource(7));
    const shown = shownFor(fields);
    const expected = shown.sections
      .slice(1)
      .flatMap((index) => citizen.sections[index]!.questions)
      .filter((q) => shown.questions.has(q.id))
      .reduce((sum, q) => sum + minimumSeconds(q, shown.answers.get(q.id)), 0);
    const threshold = speederThreshold(citizen, shown)!;
    expect(threshold).toBeCloseTo(expected);
    // Six measured pages of matrices, a ranking and choices: most of a minute even for a fast reader.
    expect(threshold).toBeGreaterThan(45);
    expect(isSpeeder(threshold - 1, threshold)).toBe(true);
    expect(isSpeeder(threshold, threshold)).toBe(false);
  });

  it('counts a typed text at 8 characters a second', () => {
    const question = allQuestions(citizen).find((q) => q.id === 'proje_fikri')!;
    expect(minimumSeconds(question, undefined)).toBe(1);
    expect(minimumSeconds(question, { kind: 'long_text', text: 'x'.repeat(80) })).toBe(11);
  });

  it('cannot tell on a one-page survey, whose time is never measured', () => {
    const onePage = { ...citizen, sections: citizen.sections.slice(0, 1) };
    const evaluation = evaluate(onePage, {});
    expect(speederThreshold(onePage, { sections: visibleSections(onePage, evaluation), questions: evaluation.visible, answers: evaluation.answers })).toBeNull();
    expect(isSpeeder(0, null)).toBe(false);
  });
});

describe('straightLinedMatrices', () => {
  const base = syntheticFields(citizen, randomSource(3));
  const imageRows = allQuestions(citizen).find((q) => q.id === 'belediye_imaji')!;
  if (imageRows.kind !== 'likert_matrix') throw new Error('matrix expected');

  it('finds a matrix with the same point on every row', () => {
    const fields = { ...base, ...Object.fromEntries(imageRows.rows.map((row) => [`belediye_imaji.${row.id}`, '3'])) };
    expect(straightLinedMatrices(citizen, evaluate(citizen, fields).answers)).toContain('belediye_imaji');
  });

  it('does not flag a matrix with one row different', () => {
    const fields = { ...base, ...Object.fromEntries(imageRows.rows.map((row, i) => [`belediye_imaji.${row.id}`, i === 0 ? '4' : '3'])) };
    expect(straightLinedMatrices(citizen, evaluate(citizen, fields).answers)).not.toContain('belediye_imaji');
  });

  it('needs five answered rows: four alike with the rest unanswered is not a straight line', () => {
    const fields: Record<string, string | string[]> = { ...base };
    for (const row of imageRows.rows) delete fields[`belediye_imaji.${row.id}`];
    for (const row of imageRows.rows.slice(0, 4)) fields[`belediye_imaji.${row.id}`] = '5';
    expect(straightLinedMatrices(citizen, evaluate(citizen, fields).answers)).not.toContain('belediye_imaji');
    fields[`belediye_imaji.${imageRows.rows[4]!.id}`] = '5';
    expect(straightLinedMatrices(citizen, evaluate(citizen, fields).answers)).toContain('belediye_imaji');
  });
});

describe('answerVectorHash', () => {
  it('is the same whatever the order of rows and the case or spacing of texts', () => {
    const fields = { ...syntheticFields(citizen, randomSource(11)), proje_fikri: 'Daha çok  park yapılsın' };
    const rows = rowsOf(fields);
    const again = rowsOf({ ...fields, proje_fikri: 'daha çok park yapılsın ' }).reverse();
    expect(answerVectorHash(again)).toBe(answerVectorHash(rows));
    expect(answerVectorHash(rowsOf({ ...fields, proje_fikri: 'Daha çok okul yapılsın' }))).not.toBe(answerVectorHash(rows));
  });

  it('says nothing about responses with fewer than five questions answered', () => {
    const rows = rowsOf(syntheticFields(citizen, randomSource(5)));
    const fewQuestions = [...new Set(rows.map((row) => row.question_id))].slice(0, 4);
    expect(answerVectorHash(rows.filter((row) => fewQuestions.includes(row.question_id)))).toBeNull();
  });

  it('rarely matches between synthetic people', () => {
    const random = randomSource(99);
    const hashes = Array.from({ length: 500 }, () => answerVectorHash(rowsOf(syntheticFields(citizen, random))));
    expect(new Set(hashes).size).toBe(500);
  });
});

describe('networkPrefix', () => {
  it.each([
    ['203.0.113.77', '203.0.113.0/24'],
    ['::ffff:203.0.113.5', '203.0.113.0/24'],
    ['::FFFF:203.0.113.200', '203.0.113.0/24'],
    ['2001:db8:1234:5678::1', '2001:db8:1234::/48'],
    ['2001:0db8:1234:ffff:0:0:0:9', '2001:db8:1234::/48'],
    ['2001:db8::1', '2001:db8:0::/48'],
    ['::1', '0:0:0::/48'],
    ['fe80::1%eth0', 'fe80:0:0::/48'],
  ])('%s is in %s', (address, prefix) => {
    expect(networkPrefix(address)).toBe(prefix);
  });

  it.each([undefined, null, '', 'localhost', '999.1.1.1', '1:2:3'])('%p is no network', (address) => {
    expect(networkPrefix(address)).toBeUndefined();
  });

  it('hashes a network differently with another day’s key, and never stores the address', () => {
    const key1 = 'a'.repeat(64);
    const key2 = 'b'.repeat(64);
    const hash = networkHash(key1, networkPrefix('198.51.100.9')!);
    expect(hash).toBe(networkHash(key1, networkPrefix('198.51.100.200')!));
    expect(hash).not.toBe(networkHash(key2, networkPrefix('198.51.100.9')!));
    expect(hash).not.toContain('198');
  });
});

describe('fixture surveys', () => {
  it('gives every question kind a minimum time', () => {
    const all = loadCatalog(FIXTURE_SURVEYS).find('tum-soru-tipleri')!;
    for (const question of allQuestions(all)) expect(minimumSeconds(question, undefined)).toBeGreaterThan(0);
  });
});
