// Whether a survey's "required" applies. It is asked of people answering for themselves online; a
// clerk copying a paper or face-to-face questionnaire records a blank as a blank (stored as no
// answer, counted as "yanıtsız" in results), never an invented answer. Invalid values (an unknown
// option, a number out of range) are refused whoever types them. Pure.
import type { ResponseChannel } from './response.table';
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
 * The survey as it is answered through a channel: unchanged online; for data entry every question
 * optional (a required matrix's blank rows too), and a ranking or multiple choice taken with as
 * few ranks or ticks as the paper holds (minRanked, minSelections ask people online for more; a
 * clerk cannot). So the same pages, validation and conditions take blanks as blanks. Maximums,
 * options and ranges still hold; everything stored (ids, hash) stays as defined.
 */
export function surveyForChannel(survey: Survey, channel: ResponseChannel): Survey {
  if (channelRequiresAnswers(channel)) return survey;
  const asEntered = (question: Question): Question => {
    if (question.kind === 'ranking' && (question.minRanked ?? question.rankCount) > 1) return { ...question, required: false, minRanked: 1 };
    if (question.kind === 'multiple_choice' && question.minSelections !== undefined) return { ...question, required: false, minSelections: undefined };
    return question.required ? { ...question, required: false } : question;
  };
  return { ...survey, sections: survey.sections.map((section) => ({ ...section, questions: section.questions.map(asEntered) })) };
}
