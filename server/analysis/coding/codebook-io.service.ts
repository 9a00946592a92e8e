// Importing a codebook: the confirmed rows of a preview written in one transaction, with one audit
// entry, against the codebook as it is at that moment (a theme added meanwhile is updated, not doubled).
import * as audit from '../../platform/audit/audit.repository';
import type { Actor } from '../../platform/audit/audit.repository';
import type { Db } from '../../platform/db/connection';
import * as codingRepository from './coding.repository';
import { planImport, type ImportedTheme } from './codebook-io';
import * as batchRepository from './coding-batch.repository';

export interface ImportOutcome {
  created: number;
  updated: number;
  unchanged: number;
}

export async function importCodebook(db: Db, surveySlug: string, inputs: ImportedTheme[], actor: Actor, now: Date): Promise<ImportOutcome> {
  return db.transaction().execute(async (trx) => {
    const outcome: ImportOutcome = { created: 0, updated: 0, unchanged: 0 };
    for (const step of planImport(inputs, await codingRepository.themes(trx, surveySlug))) {
      if (step.action === 'create') {
        const id = await codingRepository.insertTheme(trx, surveySlug, step.input, now);
        if (step.input.rule !== null) await batchRepository.setRule(trx, id, step.input.rule, now);
      } else if (step.action === 'update') {
        await codingRepository.updateTheme(trx, step.themeId!, step.input, now);
        await batchRepository.setRule(trx, step.themeId!, step.input.rule, now);
      }
      outcome[step.action === 'create' ? 'created' : step.action === 'update' ? 'updated' : 'unchanged'] += 1;
    }
    await audit.record(trx, { action: 'theme.imported', ...audit.by(actor), target: `survey:${surveySlug}`, details: { survey: surveySlug, ...outcome } }, now);
    return outcome;
  });
}
