import * as edits from '../../../server/surveys/editor/draft-edits';
import type { QuestionFile, SurveyFile } from '../../../server/surveys/survey-definition';

const text = (tr: string) => ({ tr });
const q = (id: string): QuestionFile => ({ kind: 'short_text', id, text: text(id), required: false, maxLength: 200 });
const draft = (): SurveyFile => ({
  slug: 'deneme',
  title: text('Deneme'),
  intro: text('Giriş'),
  audience: 'citizen',
  opensAt: '2026-06-01T00:00:00Z',
  closesAt: '2026-07-01T00:00:00Z',
  anonymous: true,
  oneResponsePerBrowser: true,
  sections: [
    { id: 'a', title: text('A'), questions: [q('a1'), q('a2'), q('a3')] },
    { id: 'b', title: text('B'), questions: [q('b1')] },
  ],
});
const layout = (file: SurveyFile) => file.sections.map((s) => `${s.id}:${s.questions.map((x) => x.id).join(',')}`);

describe('draft edits', () => {
  it('set the settings, and drop the thank-you text when none is given', () => {
    const withThanks = edits.setSettings(draft(), { title: text('Yeni'), intro: text('G'), thanks: text('Sağ olun'), audience: 'institution', opensAt: 'x', closesAt: 'y' });
    expect(withThanks).toMatchObject({ title: text('Yeni'), thanks: text('Sağ olun'), audience: 'institution', opensAt: 'x', closesAt: 'y', sections: draft().sections });
    expect('thanks' in edits.setSettings(withThanks, { title: text('Yeni'), intro: text('G'), audience: 'citizen', opensAt: 'x', closesAt: 'y' })).toBe(false);
  });

  it('add, rename, move and remove sections without touching the original', () => {
    const original = draft();
    const added = edits.addSection(original, { id: 'c', title: text('C') }, q('c1'));
    expect(layout(added)).toEqual(['a:a1,a2,a3', 'b:b1', 'c:c1']);
    expect(layout(original)).toEqual(['a:a1,a2,a3', 'b:b1']);
    const renamed = edits.renameSection(added, 'b', { id: 'bb', title: text('BB'), intro: text('Açıklama') });
    expect(renamed.sections[1]).toMatchObject({ id: 'bb', title: text('BB'), intro: text('Açıklama'), questions: [q('b1')] });
    expect(layout(edits.moveSection(renamed, 'c', -1))).toEqual(['a:a1,a2,a3', 'c:c1', 'bb:b1']);
    expect(layout(edits.moveSection(renamed, 'a', -1))).toEqual(['a:a1,a2,a3', 'bb:b1', 'c:c1']);
    expect(layout(edits.removeSection(renamed, 'a'))).toEqual(['bb:b1', 'c:c1']);
    expect(() => edits.removeSection(renamed, 'zz')).toThrow(edits.DraftEditError);
  });

  it('add, replace and remove questions; a section left empty goes', () => {
    expect(layout(edits.addQuestion(draft(), 'b', q('b2')))).toEqual(['a:a1,a2,a3', 'b:b1,b2']);
    expect(layout(edits.addQuestion(draft(), 'a', q('a0'), 0))).toEqual(['a:a0,a1,a2,a3', 'b:b1']);
    const replaced = edits.replaceQuestion(draft(), 'a2', { ...q('a2_new'), required: true });
    expect(layout(replaced)).toEqual(['a:a1,a2_new,a3', 'b:b1']);
    expect(replaced.sections[0]!.questions[1]!.required).toBe(true);
    expect(layout(edits.removeQuestion(draft(), 'a1'))).toEqual(['a:a2,a3', 'b:b1']);
    expect(layout(edits.removeQuestion(draft(), 'b1'))).toEqual(['a:a1,a2,a3']);
    expect(() => edits.replaceQuestion(draft(), 'nope', q('x'))).toThrow(edits.DraftEditError);
  });

  it('move questions within a section and between sections', () => {
    expect(layout(edits.moveQuestionTo(draft(), 'a1', 'a', 2))).toEqual(['a:a2,a3,a1', 'b:b1']);
    expect(layout(edits.moveQuestionTo(draft(), 'a2', 'b', 0))).toEqual(['a:a1,a3', 'b:a2,b1']);
    expect(layout(edits.moveQuestionTo(draft(), 'b1', 'a', 1))).toEqual(['a:a1,b1,a2,a3']);
    expect(layout(edits.moveQuestionBy(draft(), 'a2', -1))).toEqual(['a:a2,a1,a3', 'b:b1']);
    // Past the end of a section: to the start of the next one, or the end of the previous one.
    expect(layout(edits.moveQuestionBy(draft(), 'a3', 1))).toEqual(['a:a1,a2', 'b:a3,b1']);
    expect(layout(edits.moveQuestionBy(draft(), 'b1', -1))).toEqual(['a:a1,a2,a3,b1']);
    expect(layout(edits.moveQuestionBy(draft(), 'a1', -1))).toEqual(['a:a1,a2,a3', 'b:b1']);
    expect(() => edits.moveQuestionTo(draft(), 'a1', 'zz', 0)).toThrow(edits.DraftEditError);
  });
});
