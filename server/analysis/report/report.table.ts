// Stored shape of what planners add to the report by hand: activities held outside Paydaş (T4),
// findings with their evidence (T17) and the municipality's Word template.
import type { Generated } from 'kysely';

export const ACTIVITY_METHODS = ['focus_group', 'workshop', 'interview', 'face_to_face_survey', 'other'] as const;
export type ActivityMethod = (typeof ACTIVITY_METHODS)[number];

export interface ConsultationActivityTable {
  id: Generated<number>;
  method: ActivityMethod;
  title: string;
  target_group: string;
  /** ISO dates. */
  starts_on: string;
  ends_on: string | null;
  participants: number;
  notes: string | null;
  created_at: string;
  updated_at: string;
}

export interface ConsultationActivityMahalleTable {
  activity_id: number;
  mahalle_id: string;
}

export interface ConsultationActivityStakeholderTable {
  activity_id: number;
  stakeholder_id: number;
}

export interface FindingTable {
  id: Generated<number>;
  finding: string;
  need: string;
  area_id: string | null;
  position: number;
  created_at: string;
  updated_at: string;
  /** The draft (finding-drafts.ts) the finding was made from, if any. */
  draft_key: string | null;
}

export interface FindingEvidenceTable {
  finding_id: number;
  /** A report table's key, e.g. T10. */
  table_key: string;
  /** The row's stable key within that table (an activity area id, a stakeholder id…). */
  row_key: string;
}

export interface FindingDraftDecisionTable {
  /** A drafted finding's stable key, e.g. 'priority-low-satisfaction:temizlik'. */
  draft_key: string;
  decision: 'accepted' | 'dismissed';
  /** The finding an accepted draft became; null once that finding is deleted. */
  finding_id: number | null;
  decided_at: string;
}

export interface ReportTemplateTable {
  kind: 'docx';
  /** As uploaded, shown on the settings page. */
  file_name: string;
  /** The .docx, base64. */
  content_base64: string;
  uploaded_by: number | null;
  uploaded_at: string;
}
