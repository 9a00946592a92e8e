import { sql, type Kysely } from 'kysely';

// Running counts of the answers of included responses (complete, not excluded), kept in the
// transaction that completes, excludes or restores a response. Grouping millions of answer rows on
// every results page or report took seconds at 100,000 responses; reading these takes
// milliseconds. Filtered breakdowns still count the answers themselves.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('answer_tallies')
    .addColumn('survey_slug', 'text', (col) => col.notNull())
    .addColumn('question_id', 'text', (col) => col.notNull())
    // option|value|rank|na as one text: a unique key over nullable columns would never conflict.
    .addColumn('cell', 'text', (col) => col.notNull())
    .addColumn('option_id', 'text')
    .addColumn('value', 'real')
    .addColumn('rank', 'integer')
    .addColumn('not_applicable', 'integer', (col) => col.notNull())
    .addColumn('count', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('answer_tallies_pk', ['survey_slug', 'question_id', 'cell'])
    .execute();
  await db.schema
    .createTable('question_respondents')
    .addColumn('survey_slug', 'text', (col) => col.notNull())
    .addColumn('question_id', 'text', (col) => col.notNull())
    .addColumn('respondents', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('question_respondents_pk', ['survey_slug', 'question_id'])
    .execute();

  const included = sql`select id from responses where status = 'complete' and excluded_at is null`;
  await sql`
    insert into answer_tallies (survey_slug, question_id, cell, option_id, value, rank, not_applicable, count)
    select r.survey_slug, a.question_id,
      coalesce(a.option_id, '') || '|' || coalesce(cast(a.value as text), '') || '|' || coalesce(cast(a.rank as text), '') || '|' || a.not_applicable,
      a.option_id, a.value, a.rank, a.not_applicable, count(*)
    from answers a join responses r on r.id = a.response_id
    where a.response_id in (${included}) and (a.option_id is not null or a.value is not null)
    group by r.survey_slug, a.question_id, a.option_id, a.value, a.rank, a.not_applicable`.execute(db);
  await sql`
    insert into question_respondents (survey_slug, question_id, respondents)
    select r.survey_slug, a.question_id, count(distinct a.response_id)
    from answers a join responses r on r.id = a.response_id
    where a.response_id in (${included})
    group by r.survey_slug, a.question_id`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('question_respondents').execute();
  await db.schema.dropTable('answer_tallies').execute();
}
