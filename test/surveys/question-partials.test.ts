// Each question kind of the schema is rendered by a template named in QUESTION_PARTIALS (typed by the
// kinds, so a new kind does not compile without one); here the template must also exist and render.
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { fieldNames } from '../../server/surveys/survey-answers';
import { allQuestions, QUESTION_KINDS } from '../../server/surveys/survey-definition';
import { QUESTION_PARTIALS } from '../../server/surveys/survey-page';
import { answerSection } from '../helpers/forms';
import { validSectionFields } from '../helpers/survey-walker';
import { createTestApp, FIXTURE_SURVEYS } from '../helpers/test-app';

const SLUG = 'tum-soru-tipleri';
const sectionView = path.join(__dirname, '..', '..', 'views', 'surveys', 'section.ejs');

describe('the template of each question kind', () => {
  it('is named for exactly the kinds of the schema, and its file exists', () => {
    expect(Object.keys(QUESTION_PARTIALS).sort()).toEqual([...QUESTION_KINDS].sort());
    for (const kind of QUESTION_KINDS) {
      expect(fs.existsSync(path.resolve(path.dirname(sectionView), `${QUESTION_PARTIALS[kind]}.ejs`))).toBe(true);
    }
  });

  it('renders a question of every kind of the schema, with its fields, on the pages of the fixture survey', async () => {
    const t = await createTestApp({ surveysDir: FIXTURE_SURVEYS, now: new Date('2026-06-01T12:00:00+03:00') });
    try {
      const survey = t.catalog.find(SLUG)!;
      expect(new Set(allQuestions(survey).map((q) => q.kind))).toEqual(new Set(QUESTION_KINDS));
      const agent = request.agent(t.app);
      const pages: string[] = [];
      for (let index = 0; index < survey.sections.length; index++) {
        const { page, response } = await answerSection(agent, `/anket/${SLUG}/${index + 1}`, validSectionFields(survey, index));
        expect(page.status).toBe(200);
        expect(response.status).toBe(303);
        pages.push(page.text);
      }
      const html = pages.join('\n');
      for (const kind of QUESTION_KINDS) {
        const shown = allQuestions(survey).filter((q) => q.kind === kind && html.includes(`id="q-${q.id}"`));
        expect({ kind, shown: shown.length > 0 }).toEqual({ kind, shown: true });
        for (const question of shown) {
          for (const field of fieldNames(question)) expect({ kind, field, named: html.includes(`name="${field}"`) }).toEqual({ kind, field, named: true });
        }
      }
    } finally {
      await t.close();
    }
  });
});
