// Stored shape of what planners change about surveys: uploaded definitions and schedules.

/** A survey definition uploaded through the back office. */
export interface UploadedSurveyTable {
  slug: string;
  /** The uploaded file's JSON, as validated. */
  definition: string;
  uploaded_at: string;
  uploaded_by: number | null;
}

/** Publication and dates set by planners; they override the dates in the definition. */
export interface SurveyScheduleTable {
  slug: string;
  published: number;
  opens_at: string;
  closes_at: string;
  updated_at: string;
  updated_by: number | null;
}

/** A definition being edited in the back office; published definitions live in uploaded_surveys. */
export interface SurveyDraftTable {
  slug: string;
  /** The draft's SurveyFile JSON, valid at every save. */
  definition: string;
  updated_at: string;
  updated_by: number | null;
}
