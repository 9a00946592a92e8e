// The database type, composed from each feature's table definitions.
import type { AnswerTable, ResponseTable, SurveyDefinitionTable } from '../../surveys/response.table';
import type { SettingTable } from './settings.table';

export interface Database {
  settings: SettingTable;
  survey_definitions: SurveyDefinitionTable;
  responses: ResponseTable;
  answers: AnswerTable;
}
