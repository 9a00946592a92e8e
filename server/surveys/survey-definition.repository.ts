// Every version of every survey definition ever loaded, so stored responses stay readable.
import type { Executor } from '../platform/db/connection';
import type { Survey } from './survey-definition';

/** Records a definition version the first time it is loaded, so responses can always be read with it. */
export async function saveDefinition(db: Executor, survey: Survey, now: Date): Promise<void> {
  const { hash, ...definition } = survey;
  await db
    .insertInto('survey_definitions')
    .values({ hash, slug: survey.slug, definition: JSON.stringify(definition), first_loaded_at: now.toISOString() })
    .onConflict((oc) => oc.column('hash').doNothing())
    .execute();
}

/** The stored definitions that complete responses were given under. */
export async function definitionsInUse(db: Executor): Promise<{ hash: string; slug: string; definition: string }[]> {
  return db
    .selectFrom('survey_definitions as d')
    .select(['d.hash', 'd.slug', 'd.definition'])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('responses as r')
          .select('r.id')
          .whereRef('r.definition_hash', '=', 'd.hash')
          .where('r.status', '=', 'complete'),
      ),
    )
    .execute();
}
