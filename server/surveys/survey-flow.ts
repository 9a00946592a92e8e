// Which questions and sections a person sees, and what is still missing, given the fields saved so
// far. Conditions are evaluated here, on the server; the page script only mirrors them.
import { fieldNames, parseQuestion, requiredError, type Answer, type AnswerError, type FormFields } from './survey-answers';
import { assertNever, conditionLeaves, type Condition, type LeafCondition, type Question, type Survey } from './survey-definition';

export interface Evaluation {
  /** Answers of visible questions only; hidden questions' values are ignored. */
  answers: Map<string, Answer>;
  visible: Set<string>;
  /** Errors per section index, visible questions only. */
  errors: Map<number, QuestionError[]>;
  /**
   * Sections with a question to show: the section's own condition holds and at least one of its
   * questions is visible and not answered beforehand (from the register). Others are skipped.
   */
  sectionsShown: Set<number>;
}

export interface QuestionError extends AnswerError {
  questionId: string;
}

/** Whether one comparison holds for the answer to its question. */
export function leafHolds(condition: LeafCondition, answer: Answer | undefined): boolean {
  // A condition on an unanswered (or hidden) question never holds, whatever its operator.
  if (!answer) return false;
  const chosen =
    answer.kind === 'single_choice' || answer.kind === 'select'
      ? [answer.optionId]
      : answer.kind === 'multiple_choice'
        ? answer.optionIds
        : answer.kind === 'number' && answer.band !== undefined
          ? [answer.band]
          : [];
  if ('equals' in condition) return chosen.includes(condition.equals);
  if ('notEquals' in condition) return chosen.length > 0 && !chosen.includes(condition.notEquals);
  if ('includes' in condition) return chosen.includes(condition.includes);
  if ('anyOf' in condition) return chosen.some((id) => condition.anyOf.includes(id));
  return assertNever(condition);
}

/** Whether a condition, combined with all/any to any depth, holds for the answers given so far. */
export function conditionHolds(condition: Condition, answers: ReadonlyMap<string, Answer>): boolean {
  if ('all' in condition) return condition.all.every((part) => conditionHolds(part, answers));
  if ('any' in condition) return condition.any.some((part) => conditionHolds(part, answers));
  return leafHolds(condition, answers.get(condition.question));
}

/**
 * prefilled: ids of questions answered beforehand (from the register), which are never shown; a
 * section left with nothing else to show is skipped.
 */
export function evaluate(survey: Survey, fields: FormFields, prefilled: Iterable<string> = []): Evaluation {
  const answers = new Map<string, Answer>();
  const visible = new Set<string>();
  const errors = new Map<number, QuestionError[]>();
  const sectionsShown = new Set<number>();
  const answeredBeforehand = new Set(prefilled);
  survey.sections.forEach((section, index) => {
    // A hidden section's questions are not asked: their answers are ignored like a hidden question's.
    if (section.showWhen && !conditionHolds(section.showWhen, answers)) return;
    const sectionErrors: QuestionError[] = [];
    for (const question of section.questions) {
      if (question.showWhen && !conditionHolds(question.showWhen, answers)) continue;
      visible.add(question.id);
      const parsed = parseQuestion(question, fields);
      if (parsed.error) sectionErrors.push({ questionId: question.id, ...parsed.error });
      else if (parsed.answer) answers.set(question.id, parsed.answer);
      else if (question.required) sectionErrors.push({ questionId: question.id, ...requiredError(question) });
      if (!answeredBeforehand.has(question.id)) sectionsShown.add(index);
    }
    if (sectionErrors.length > 0) errors.set(index, sectionErrors);
  });
  return { answers, visible, errors, sectionsShown };
}

/** The sections a person is shown, in order (see Evaluation.sectionsShown). */
export function visibleSections(survey: Survey, evaluation: Evaluation): number[] {
  return survey.sections.map((_, index) => index).filter((index) => evaluation.sectionsShown.has(index));
}

/** The first visible section with a missing or invalid answer, or undefined when all are complete. */
export function firstIncompleteSection(survey: Survey, evaluation: Evaluation): number | undefined {
  return visibleSections(survey, evaluation).find((index) => evaluation.errors.has(index));
}

/**
 * Questions to render on a section page: those visible now, plus those whose condition depends on
 * a question of the same page (the answer is not known until the page is posted; without
 * JavaScript the person sees them with a note saying when to answer).
 */
export function questionsToRender(survey: Survey, sectionIndex: number, evaluation: Evaluation): Question[] {
  const section = survey.sections[sectionIndex]!;
  const onPage = new Set<string>();
  const shown: Question[] = [];
  for (const question of section.questions) {
    const dependsOnPage = dependsOn(question.showWhen, onPage);
    if (evaluation.visible.has(question.id) || dependsOnPage) {
      shown.push(question);
      onPage.add(question.id);
    }
  }
  return shown;
}

/** Whether a condition compares an answer given on the same page (so it is only known once posted). */
export function dependsOn(condition: Condition | undefined, onPage: ReadonlySet<string>): boolean {
  return condition !== undefined && conditionLeaves(condition).some((leaf) => onPage.has(leaf.question));
}

/**
 * The fields to keep in a draft after a section is posted: other sections' fields as they were,
 * and this section's only for questions that are visible and valid (an empty required answer
 * is fine to keep; an invalid or hidden one is not).
 */
export function storableFields(survey: Survey, sectionIndex: number, fields: FormFields, evaluation: Evaluation): FormFields {
  const invalid = new Set(
    (evaluation.errors.get(sectionIndex) ?? [])
      .filter((error) => error.code !== 'required' && error.code !== 'rows_required')
      .map((error) => error.questionId),
  );
  const dropped = new Set(
    survey.sections[sectionIndex]!.questions.filter((q) => !evaluation.visible.has(q.id) || invalid.has(q.id)).flatMap(fieldNames),
  );
  return Object.fromEntries(Object.entries(fields).filter(([name]) => !dropped.has(name)));
}

/**
 * The section to show when a person asks for one: sections are filled in order, so a request
 * past one with missing answers leads back to it, and a hidden section leads to the next shown.
 */
export function sectionToShow(survey: Survey, evaluation: Evaluation, requested: number): number {
  const incomplete = firstIncompleteSection(survey, evaluation);
  if (incomplete !== undefined && incomplete < requested) return incomplete;
  const visible = visibleSections(survey, evaluation);
  if (visible.includes(requested)) return requested;
  return visible.find((index) => index > requested) ?? visible.at(-1) ?? 0;
}

/**
 * The draft's record of the sections a person went past with "next", by section id. Form field
 * names start with a letter, so this key is never a field, and a post that sends it is refused.
 */
export const SAVED_SECTIONS = '_saved';

/**
 * Sections already saved: those recorded as gone past, and (for drafts from before that record,
 * or opened again from a submitted response) those holding any answer.
 */
function savedSections(survey: Survey, fields: FormFields): Set<number> {
  const marked = fields[SAVED_SECTIONS];
  const ids = new Set(Array.isArray(marked) ? marked : typeof marked === 'string' ? [marked] : []);
  const hasValue = (name: string) => Object.hasOwn(fields, name) && fields[name] !== '' && !(Array.isArray(fields[name]) && fields[name].length === 0);
  const saved = new Set<number>();
  survey.sections.forEach((section, index) => {
    if (ids.has(section.id) || section.questions.flatMap(fieldNames).some(hasValue)) saved.add(index);
  });
  return saved;
}

/**
 * Where the intro's button leads: the first section the person sees that still needs something,
 * either a required answer missing (conditions included) or never saved; when none does, the
 * last one, whose button submits.
 */
export function resumeSection(survey: Survey, fields: FormFields, fixed: FormFields = {}): number {
  const evaluation = evaluate(survey, { ...fields, ...fixed }, Object.keys(fixed));
  const visible = visibleSections(survey, evaluation);
  const saved = savedSections(survey, fields);
  return visible.find((index) => evaluation.errors.has(index) || !saved.has(index)) ?? visible.at(-1) ?? 0;
}

/** Every field a section's form may post. */
export function sectionFieldNames(survey: Survey, sectionIndex: number): string[] {
  return survey.sections[sectionIndex]!.questions.flatMap(fieldNames);
}

export type SurveyStatus = 'draft' | 'scheduled' | 'open' | 'closed';

/** When a survey takes answers: its dates, and whether it is published at all (uploads start as drafts). */
export interface SurveySchedule {
  published?: boolean;
  opensAt: string;
  closesAt: string;
}

export function surveyStatus(schedule: SurveySchedule, now: Date): SurveyStatus {
  if (schedule.published === false) return 'draft';
  const time = now.getTime();
  if (time < Date.parse(schedule.opensAt)) return 'scheduled';
  if (time >= Date.parse(schedule.closesAt)) return 'closed';
  return 'open';
}

export type ScheduleAction = 'open_now' | 'close_now' | 'change_dates';

/**
 * The schedule actions that make sense in a status: opening what already takes answers would only
 * move its opening date, and closing what takes none has nothing to close. Dates can always change.
 */
export function scheduleActions(status: SurveyStatus): ScheduleAction[] {
  if (status === 'open') return ['close_now', 'change_dates'];
  return ['open_now', 'change_dates'];
}

/** What posting one section leads to, decided from the saved and the posted fields alone. */
export type SectionPlan =
  /** values: what the page shows again, the posted fields over the saved ones. */
  | { kind: 'invalid'; errors: QuestionError[]; values: FormFields }
  /** Save the fields and go to a section (null: the intro). */
  | { kind: 'save'; fields: FormFields; goTo: number | null }
  /** The last page was posted but an earlier one misses answers: save and send the person there. */
  | { kind: 'incomplete'; fields: FormFields; goTo: number }
  /** Every visible section is complete: store these answers. */
  | { kind: 'complete'; fields: FormFields; answers: Map<string, Answer> };

export function planSectionPost(
  survey: Survey,
  sectionIndex: number,
  saved: FormFields,
  posted: FormFields,
  nav: 'next' | 'back',
  /** Answers known beforehand, by question id (see evaluate's prefilled): stored whatever is posted. */
  fixed: FormFields = {},
): SectionPlan {
  const onPage = new Set(sectionFieldNames(survey, sectionIndex));
  const kept = Object.fromEntries(Object.entries(saved).filter(([name]) => !onPage.has(name)));
  // Known answers go in on every post: their own section may never be posted, being skipped.
  const merged: FormFields = { ...kept, ...posted, ...fixed };
  const prefilled = Object.keys(fixed);
  const evaluation = evaluate(survey, merged, prefilled);
  const sectionErrors = evaluation.errors.get(sectionIndex) ?? [];
  if (nav === 'next' && sectionErrors.length > 0) return { kind: 'invalid', errors: sectionErrors, values: merged };

  // Only answers that are visible and valid are kept: nothing hostile or hidden is ever stored,
  // and going back keeps what is valid on the page.
  const storable = storableFields(survey, sectionIndex, merged, evaluation);
  const fields = nav === 'next' ? markSaved(survey, sectionIndex, storable) : storable;
  const stored = evaluate(survey, fields, prefilled);
  const visible = visibleSections(survey, stored);
  if (nav === 'back') return { kind: 'save', fields, goTo: [...visible].reverse().find((index) => index < sectionIndex) ?? null };
  const next = visible.find((index) => index > sectionIndex);
  if (next !== undefined) return { kind: 'save', fields, goTo: next };
  const incomplete = firstIncompleteSection(survey, stored);
  if (incomplete !== undefined) return { kind: 'incomplete', fields, goTo: incomplete };
  return { kind: 'complete', fields, answers: stored.answers };
}

/** Records that a section was gone past with "next", for resuming (see resumeSection). */
function markSaved(survey: Survey, sectionIndex: number, fields: FormFields): FormFields {
  const marked = fields[SAVED_SECTIONS];
  const ids = Array.isArray(marked) ? marked : typeof marked === 'string' ? [marked] : [];
  const id = survey.sections[sectionIndex]!.id;
  return ids.includes(id) ? fields : { ...fields, [SAVED_SECTIONS]: [...ids, id] };
}
