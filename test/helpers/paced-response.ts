// One complete response posted page by page through HTTP from a given client address, at a chosen
// pace on the test clock: a person (minutes, varied answers) or a script (no time at all).
import request from 'supertest';
import { sectionFieldNames } from '../../server/surveys/survey-flow';
import type { Survey } from '../../server/surveys/survey-definition';
import { encodeForm, hiddenFields, type Fields } from './forms';
import type { TestApp } from './test-app';

export async function pacedResponse(
  t: TestApp,
  survey: Survey,
  fields: Fields,
  options: { ip: string; secondsPerPage: number },
): Promise<number> {
  const agent = request.agent(t.app);
  let url = `/anket/${survey.slug}/1`;
  for (let step = 0; step <= survey.sections.length; step++) {
    const page = await agent.get(url).set('X-Forwarded-For', options.ip);
    if (page.status !== 200) throw new Error(`GET ${url} answered ${page.status}`);
    t.clock.now = new Date(t.clock.now.getTime() + options.secondsPerPage * 1000);
    const index = Number(url.split('/').pop()) - 1;
    const names = new Set(sectionFieldNames(survey, index));
    const answers = Object.fromEntries(Object.entries(fields).filter(([name]) => names.has(name)));
    const response = await agent.post(url).set('X-Forwarded-For', options.ip).type('form').send(encodeForm({ ...hiddenFields(page.text), _nav: 'next', ...answers }));
    if (response.status !== 303) throw new Error(`POST ${url} answered ${response.status}`);
    const next = response.headers.location!;
    if (next.endsWith('/tesekkurler')) {
      const last = await t.db.selectFrom('responses').select('id').where('status', '=', 'complete').orderBy('submitted_at', 'desc').orderBy('id', 'desc').executeTakeFirstOrThrow();
      return last.id;
    }
    url = next;
  }
  throw new Error('survey did not finish');
}
