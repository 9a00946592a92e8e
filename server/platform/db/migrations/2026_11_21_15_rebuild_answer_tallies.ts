import type { Kysely } from 'kysely';

// The first fill of answer_tallies spelled values in SQL ("5.0" in SQLite) while the application
// spells them in JavaScript ("5"): a response excluded later was taken from a cell that did not
// exist. The counts are rebuilt here with the application's spelling. Frozen copy of cellOf.
const cellOf = (row: { option_id: string | null; value: number | null; rank: number | null; not_applicable: number }) =>
  `${row.option_id ?? ''}|${row.value ?? ''}|${row.rank ?? ''}|${row.not_applicable}`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('answer_tallies').execute();
  const rows = (await db
    .selectFrom('answers as a')
    .innerJoin('responses as r', 'r.id', 'a.response_id')
    .select((eb) => ['r.survey_slug', 'a.question_id', 'a.option_id', 'a.value', 'a.rank', 'a.not_applicable', eb.fn.countAll().as('count')])
    .where('r.status', '=', 'complete')
    .where('r.excluded_at', 'is', null)
    .where((eb) => eb.or([eb('a.option_id', 'is not', null), eb('a.value', 'is not', null)]))
    .groupBy(['r.survey_slug', 'a.question_id', 'a.option_id', 'a.value', 'a.rank', 'a.not_applicable'])
    .execute()) as { survey_slug: string; question_id: string; option_id: string | null; value: number | null; rank: number | null; not_applicable: number; count: number | string }[];
  const tallies = rows.map((row) => ({ ...row, value: row.value === null ? null : Number(row.value), count: Number(row.count), cell: cellOf({ ...row, value: row.value === null ? null : Number(row.value) }) }));
  for (let i = 0; i < tallies.length; i += 2000) await db.insertInto('answer_tallies').values(tallies.slice(i, i + 2000)).execute();
}

export async function down(): Promise<void> {
  // The rebuilt counts are correct under either spelling's reader; nothing to undo.
}
