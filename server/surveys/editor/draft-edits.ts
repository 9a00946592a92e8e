// The editor's changes to a draft, as pure functions: each takes a SurveyFile and returns a new one,
// leaving validation of the whole result to the caller (the same rules as files).
import type { LocalizedText } from '../../platform/schema';
import type { Condition, QuestionFile, SurveyFile } from '../survey-definition';

type SectionFile = SurveyFile['sections'][number];

/** An id the edit names does not exist (a stale page or a crafted post). */
export class DraftEditError extends Error {
  constructor(readonly code: 'section_not_found' | 'question_not_found') {
    super(code);
  }
}

export interface DraftSettings {
  title: LocalizedText;
  intro: LocalizedText;
  thanks?: LocalizedText;
  audience: SurveyFile['audience'];
  opensAt: string;
  closesAt: string;
  /** Left out: the draft's value stays. */
  anonymous?: boolean;
  oneResponsePerBrowser?: boolean;
  /** Left out: the draft has no estimate (as with thanks). */
  estimatedMinutes?: number;
}

export function setSettings(draft: SurveyFile, settings: DraftSettings): SurveyFile {
  const { thanks: _old, estimatedMinutes: _oldMinutes, ...rest } = draft;
  const { thanks, estimatedMinutes, anonymous, oneResponsePerBrowser, ...given } = settings;
  return {
    ...rest,
    ...given,
    ...(anonymous !== undefined ? { anonymous } : {}),
    ...(oneResponsePerBrowser !== undefined ? { oneResponsePerBrowser } : {}),
    ...(thanks ? { thanks } : {}),
    ...(estimatedMinutes !== undefined ? { estimatedMinutes } : {}),
  };
}

function sectionIndexOf(draft: SurveyFile, sectionId: string): number {
  const index = draft.sections.findIndex((section) => section.id === sectionId);
  if (index < 0) throw new DraftEditError('section_not_found');
  return index;
}

function questionPlace(draft: SurveyFile, questionId: string): { section: number; question: number } {
  for (const [s, section] of draft.sections.entries()) {
    const q = section.questions.findIndex((question) => question.id === questionId);
    if (q >= 0) return { section: s, question: q };
  }
  throw new DraftEditError('question_not_found');
}

const withSection = (draft: SurveyFile, index: number, section: SectionFile): SurveyFile => ({
  ...draft,
  sections: draft.sections.map((existing, i) => (i === index ? section : existing)),
});

const clamp = (value: number, min: number, max: number) => Math.max(min, Math.min(max, value));

function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  const copy = [...items];
  const [item] = copy.splice(from, 1);
  copy.splice(clamp(to, 0, copy.length), 0, item!);
  return copy;
}

export interface SectionFields {
  id: string;
  title: LocalizedText;
  intro?: LocalizedText;
  showWhen?: Condition;
}

/** A new section holds its first question: the format has no empty sections. */
export function addSection(draft: SurveyFile, fields: SectionFields, firstQuestion: QuestionFile): SurveyFile {
  return { ...draft, sections: [...draft.sections, { ...sectionOf(fields), questions: [firstQuestion] }] };
}

const sectionOf = ({ id, title, intro, showWhen }: SectionFields) => ({ id, title, ...(intro ? { intro } : {}), ...(showWhen ? { showWhen } : {}) });

/** Changes a section's id, title, intro and condition; its questions stay. */
export function renameSection(draft: SurveyFile, sectionId: string, fields: SectionFields): SurveyFile {
  const index = sectionIndexOf(draft, sectionId);
  return withSection(draft, index, { ...sectionOf(fields), questions: draft.sections[index]!.questions });
}

export function moveSection(draft: SurveyFile, sectionId: string, by: number): SurveyFile {
  const index = sectionIndexOf(draft, sectionId);
  return { ...draft, sections: moveItem(draft.sections, index, index + by) };
}

export function removeSection(draft: SurveyFile, sectionId: string): SurveyFile {
  const index = sectionIndexOf(draft, sectionId);
  return { ...draft, sections: draft.sections.filter((_, i) => i !== index) };
}

/** Adds a question to a section, at the end unless a position is given. */
export function addQuestion(draft: SurveyFile, sectionId: string, question: QuestionFile, position?: number): SurveyFile {
  const index = sectionIndexOf(draft, sectionId);
  const section = draft.sections[index]!;
  const questions = [...section.questions];
  questions.splice(clamp(position ?? questions.length, 0, questions.length), 0, question);
  return withSection(draft, index, { ...section, questions });
}

/** Puts a question in place of the one with this id (which may have a new id). */
export function replaceQuestion(draft: SurveyFile, questionId: string, question: QuestionFile): SurveyFile {
  const place = questionPlace(draft, questionId);
  const section = draft.sections[place.section]!;
  return withSection(draft, place.section, { ...section, questions: section.questions.map((q, i) => (i === place.question ? question : q)) });
}

/** Removes a question; a section left without questions is removed with it. */
export function removeQuestion(draft: SurveyFile, questionId: string): SurveyFile {
  const place = questionPlace(draft, questionId);
  const section = draft.sections[place.section]!;
  const questions = section.questions.filter((_, i) => i !== place.question);
  if (questions.length === 0) return { ...draft, sections: draft.sections.filter((_, i) => i !== place.section) };
  return withSection(draft, place.section, { ...section, questions });
}

/** Moves a question to a position in a section (possibly another one); an emptied section is removed. */
export function moveQuestionTo(draft: SurveyFile, questionId: string, sectionId: string, position: number): SurveyFile {
  const place = questionPlace(draft, questionId);
  const target = sectionIndexOf(draft, sectionId);
  const question = draft.sections[place.section]!.questions[place.question]!;
  if (target === place.section) {
    const section = draft.sections[target]!;
    return withSection(draft, target, { ...section, questions: moveItem(section.questions, place.question, position) });
  }
  const withoutIt = draft.sections.map((section, i) =>
    i === place.section ? { ...section, questions: section.questions.filter((_, q) => q !== place.question) } : section,
  );
  const targetSection = withoutIt[target]!;
  const questions = [...targetSection.questions];
  questions.splice(clamp(position, 0, questions.length), 0, question);
  withoutIt[target] = { ...targetSection, questions };
  return { ...draft, sections: withoutIt.filter((section) => section.questions.length > 0) };
}

/**
 * One step up or down, as the overview's buttons do: past the first or last question of a section
 * it goes to the end of the previous section or the start of the next one.
 */
export function moveQuestionBy(draft: SurveyFile, questionId: string, by: -1 | 1): SurveyFile {
  const place = questionPlace(draft, questionId);
  const section = draft.sections[place.section]!;
  const to = place.question + by;
  if (to >= 0 && to < section.questions.length) return moveQuestionTo(draft, questionId, section.id, to);
  const neighbour = draft.sections[place.section + by];
  if (!neighbour) return draft;
  return moveQuestionTo(draft, questionId, neighbour.id, by < 0 ? neighbour.questions.length : 0);
}
