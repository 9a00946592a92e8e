// Whether a survey's "required" applies. It is asked of people answering for themselves online; a
// clerk copying a paper or face-to-face questionnaire records a blank as a blank (stored as no
// answer, counted as "yanıtsız" in results), never an invented answer. Invalid values (an unknown
// option, a number out of range) are refused whoever types them. Pure.
import type { ResponseChannel } from './response.table';
import { allowBareOther } from './survey-answers';
import { assertNever, type Question, type Survey } from './survey-definition';

/** Whether answers given through this channel must fill the survey's required questions. */
export function channelRequiresAnswers(channel: ResponseChannel): boolean {
  switch (channel) {
    case 'online':
      return true;
    case 'paper':
    case 'face_to_face':
      return false;
    default:
      return assertNever(channel);
  }
}

/**
 * A question as a clerk enters it: optional (a required matrix's blank rows too), a ranking or
 * multiple choice taken with as few ranks or ticks as the paper holds (minRanked, minSelections
 * ask people online for more; a clerk cannot), and a "Diğer" tick taken without its words (the
 * paper may hold a tick only). Maximums, options and ranges still hold.
 */
export function questionAsEntered(question: Question): Question {
  const entered: Question =
    question.kind === 'ranking'
      ? { ...question, required: false, minRanked: 1 }
      : question.kind === 'multiple_choice'
        ? { ...question, required: false, minSelections: undefined }
        : { ...question, required: false };
  return allowBareOther(entered);
}

/**
 * The survey as it is answered through a channel: unchanged online; for data entry every question
 * as entered (questionAsEntered), so the same pages, validation and conditions take blanks as
 * blanks. Everything stored (ids, hash) stays as defined.
 */
export function surveyForChannel(survey: Survey, channel: ResponseChannel): Survey {
  if (channelRequiresAnswers(channel)) return survey;
  return { ...survey, sections: survey.sections.map((section) => ({ ...section, questions: section.questions.map(questionAsEntered) })) };
}
