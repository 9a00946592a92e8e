// npm run surveys -- check | schema
//   check   validates every file in SURVEYS_DIR (default surveys/) and prints the problems
//   schema  rewrites surveys/survey.schema.json from the zod schema
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../platform/paths';
import { DefinitionError, loadCatalog } from './survey-catalog';
import { surveyJsonSchema } from './survey-json-schema';

const command = process.argv[2];
const dir = path.resolve(projectRoot, process.env.SURVEYS_DIR || 'surveys');

if (command === 'schema') {
  const file = path.join(projectRoot, 'surveys', 'survey.schema.json');
  fs.writeFileSync(file, surveyJsonSchema());
  console.log(`Wrote ${path.relative(projectRoot, file)}`);
} else if (command === 'check') {
  try {
    const catalog = loadCatalog(dir);
    for (const survey of catalog.surveys) {
      const questions = survey.sections.reduce((n, s) => n + s.questions.length, 0);
      console.log(`ok  ${survey.slug}: ${survey.sections.length} sections, ${questions} questions`);
    }
  } catch (error) {
    if (!(error instanceof DefinitionError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  }
} else {
  console.error('usage: npm run surveys -- check | schema');
  process.exitCode = 2;
}
