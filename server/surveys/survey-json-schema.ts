// surveys/survey.schema.json is generated from the zod schema so editors can validate and
// autocomplete survey files; a test fails when the committed file is stale.
import { z } from 'zod';
import { SurveyFile } from './survey-definition';

export function surveyJsonSchema(): string {
  const schema = z.toJSONSchema(SurveyFile, { io: 'input', target: 'draft-2020-12' });
  return `${JSON.stringify({ ...schema, title: 'Paydaş survey definition' }, null, 2)}\n`;
}
