// Whether a survey's "required" applies. It is asked of people answering for themselves online; a
// clerk copying a paper or face-to-face questionnaire records a blank as a blank (stored as no
// answer, counted as "yanıtsız" in results), never an invented answer. Invalid values (an unknown
// option, a number out of range) are refused whoever types them. Pure.
import type { ResponseChannel } from './response.table';
import { assertNever, type Survey } from './survey-definition';

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
 * The survey as it is answered through a channel: unchanged online; for data entry every question
 * optional (a required matrix's blank rows too), so the same pages, validation and conditions take
 * blanks as blanks. Everything stored (ids, hash) stays as defined.
 */
export function surveyForChannel(survey: Survey, channel: ResponseChannel): Survey {
  if (channelRequiresAnswers(channel)) return survey;
  if (survey.sections.every((section) => section.questions.every((question) => !question.required))) return survey;
  return {
    ...survey,
    sections: survey.sections.map((section) => ({
      ...section,
      questions: section.questions.map((question) => (question.required ? { ...question, required: false } : question)),
    })),
  };
}
