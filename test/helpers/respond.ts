// One complete response given as a flat map of form fields, posted page by page through HTTP.
import request from 'supertest';
import { sectionFieldNames } from '../../server/surveys/survey-flow';
import type { Survey } from '../../server/surveys/survey-definition';
import type { Fields } from './forms';
import { completeSurvey } from './survey-walker';
import type { TestApp } from './test-app';

export async function respond(t: TestApp, survey: Survey, fields: Fields): Promise<number> {
  await completeSurvey(request.agent(t.app), survey, (index) => {
    const names = new Set(sectionFieldNames(survey, index));
    return Object.fromEntries(Object.entries(fields).filter(([name]) => names.has(name)));
  });
  const last = await t.db.selectFrom('responses').select('id').where('status', '=', 'complete').orderBy('id', 'desc').executeTakeFirstOrThrow();
  return last.id;
}
