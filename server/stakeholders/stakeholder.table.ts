// Stored shape of the stakeholder register.
import type { Generated } from 'kysely';

export const STAKEHOLDER_GROUPS = [
  'kamu',
  'universite',
  'meslek_odasi',
  'stk',
  'muhtarlik',
  'kent_konseyi',
  'ozel_sektor',
  'medya',
  'vatandas_grubu',
  'diger',
] as const;
export type StakeholderGroup = (typeof STAKEHOLDER_GROUPS)[number];

export const STAKEHOLDER_TYPES = ['temel_ortak', 'stratejik_ortak', 'tedarikci', 'hizmet_alan'] as const;
export type StakeholderType = (typeof STAKEHOLDER_TYPES)[number];

export const STAKEHOLDER_SCOPES = ['internal', 'external'] as const;
export type StakeholderScope = (typeof STAKEHOLDER_SCOPES)[number];

export interface StakeholderTable {
  id: Generated<number>;
  name: string;
  group_id: StakeholderGroup;
  scope: StakeholderScope;
  type: StakeholderType | null;
  contact_person: string | null;
  reason: string | null;
  /** önem, 1–5 */
  importance: number;
  /** etki, 1–5 */
  influence: number;
  /** The language its e-mails are written in. */
  language: string;
  /** register: entered by planners; self: an institution that asked to give its opinion. */
  source: 'register' | 'self';
  archived_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface StakeholderEmailTable {
  stakeholder_id: number;
  email: string;
  position: number;
}

export interface StakeholderAreaTable {
  stakeholder_id: number;
  area_id: string;
}
