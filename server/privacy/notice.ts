// The privacy notice (aydınlatma metni) as data: what KVKK art. 10 and the Communiqué on the
// obligation to inform (Aydınlatma Yükümlülüğünün Yerine Getirilmesinde Uyulacak Usul ve Esaslar
// Hakkında Tebliğ, art. 5) require, built from the municipality profile. The page turns each id
// into a sentence of the `privacy` namespace, filled with the values kept here, so the wording is
// translated and the municipality's own details are never written into it.
import { planPeriodLabel, type Municipality } from '../municipality';
import type { LocalizedText } from '../platform/schema';
import type { ConsentPurpose } from './consent.table';
import { ANSWER_DAYS } from './data-subject-rules';

/**
 * KVKK art. 5: expressly provided by law (2/a), a legal obligation (2/ç), explicit consent (1);
 * art. 6 (3)(a): explicit consent for special categories of data (health among them).
 */
export const LEGAL_BASES = ['law', 'legal_obligation', 'explicit_consent', 'explicit_consent_special'] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

export const ACTIVITIES = ['citizen_surveys', 'meeting_signups', 'institutions', 'back_office'] as const;
export type ActivityId = (typeof ACTIVITIES)[number];

export const DATA_ITEMS = [
  'survey_answers',
  'banded_demographics',
  'open_answers',
  'response_checks',
  'name',
  'mahalle',
  'phone_or_email',
  'accessibility_need',
  'attendance',
  'institution',
  'institution_email',
  'contact_person',
  'opinion_answers',
  'official_letter',
  'invitation_tracking',
  'staff_identity',
  'login_records',
  'audit_log',
] as const;
export type DataItem = (typeof DATA_ITEMS)[number];

/** What citizen surveys never ask or store. */
export const NOT_COLLECTED = ['name', 'phone', 'email', 'id_number', 'ip_address', 'user_agent'] as const;
export type NotCollected = (typeof NOT_COLLECTED)[number];

export const PURPOSES = [
  'strategic_plan_survey',
  'organise_meeting',
  'document_participation',
  'future_meetings',
  'accessibility_arrangements',
  'consult_institutions',
  'evidence_of_consultation',
  'run_back_office',
  'data_security',
] as const;
export type PurposeId = (typeof PURPOSES)[number];

export const COLLECTION_METHODS = ['web_form', 'paper_entry', 'meeting_desk', 'invitation_register', 'self_registration', 'account_setup', 'automatic_logs'] as const;
export type CollectionMethod = (typeof COLLECTION_METHODS)[number];

export const RETENTION_RULES = ['anonymous_results', 'plan_plus_months', 'institution_record', 'account'] as const;
export type RetentionRule = (typeof RETENTION_RULES)[number];

export const RECIPIENTS = ['not_abroad', 'email_providers', 'authorities', 'reports'] as const;
export type Recipient = (typeof RECIPIENTS)[number];

/** KVKK art. 11 (1), points (a) to (ğ), in the Law's order. */
export const RIGHTS = ['a', 'b', 'c', 'c_cedilla', 'd', 'e', 'f', 'g', 'g_breve'] as const;
export type Right = (typeof RIGHTS)[number];
/** The points' letters as the Law prints them. */
export const RIGHT_LETTERS: Record<Right, string> = { a: 'a', b: 'b', c: 'c', c_cedilla: 'ç', d: 'd', e: 'e', f: 'f', g: 'g', g_breve: 'ğ' };

/** Ways to apply under the Communiqué on applications to the data controller (art. 5). */
export const APPLICATION_METHODS = ['in_writing', 'kep', 'registered_email', 'e_signature'] as const;
export type ApplicationMethod = (typeof APPLICATION_METHODS)[number];

export const COOKIES = ['language', 'form_security', 'survey_draft', 'survey_done', 'back_office_session'] as const;
export type Cookie = (typeof COOKIES)[number];

export interface NoticePurpose {
  id: PurposeId;
  legalBases: LegalBasis[];
  /** An optional use: only with the person's explicit consent (a box left unticked), stored under this purpose. */
  consent?: ConsentPurpose;
  /** What withdrawing that consent erases (not only stops using). */
  erasedOnWithdrawal?: DataItem[];
}

export interface ProcessingActivity {
  id: ActivityId;
  data: DataItem[];
  /** Of `data`, the special categories (KVKK art. 6): each processed only under an explicit_consent_special purpose. */
  specialCategory: DataItem[];
  notCollected: NotCollected[];
  purposes: NoticePurpose[];
  collection: CollectionMethod[];
  retention: RetentionRule;
}

export interface PrivacyNotice {
  version: string;
  /** YYYY-MM-DD */
  date: string;
  controller: { name: LocalizedText; address: string; email: string; phone: string; kepAddress: string | null };
  /** Interpolated into the sentences: plan period, retention months, notice version. */
  params: { period: string; months: number; version: string };
  activities: ProcessingActivity[];
  recipients: Recipient[];
  /** The optional uses, each with the consent purpose stored for it and what withdrawing it erases. */
  consents: { purpose: ConsentPurpose; activity: ActivityId; erases: DataItem[] }[];
  /** With the letter the Law gives each point. */
  rights: { id: Right; letter: string }[];
  application: { methods: ApplicationMethod[]; answerDays: number };
  cookies: Cookie[];
}

const byLaw = (id: PurposeId): NoticePurpose => ({ id, legalBases: ['law'] });

export function buildPrivacyNotice(municipality: Municipality): PrivacyNotice {
  const controller = municipality.dataController;
  const activities: ProcessingActivity[] = [
    {
      id: 'citizen_surveys',
      data: ['survey_answers', 'banded_demographics', 'open_answers', 'response_checks'],
      specialCategory: [],
      notCollected: [...NOT_COLLECTED],
      purposes: [byLaw('strategic_plan_survey')],
      collection: ['web_form', 'paper_entry'],
      retention: 'anonymous_results',
    },
    {
      id: 'meeting_signups',
      data: ['name', 'mahalle', 'phone_or_email', 'accessibility_need', 'attendance'],
      // An accessibility need may reveal health data: no law names it for the plan, so only
      // explicit consent (art. 6) covers it, and without that consent it is not kept.
      specialCategory: ['accessibility_need'],
      notCollected: [],
      purposes: [
        byLaw('organise_meeting'),
        { id: 'document_participation', legalBases: ['law', 'legal_obligation'] },
        { id: 'future_meetings', legalBases: ['explicit_consent'], consent: 'future_meetings' },
        { id: 'accessibility_arrangements', legalBases: ['explicit_consent_special'], consent: 'accessibility_need', erasedOnWithdrawal: ['accessibility_need'] },
      ],
      collection: ['web_form', 'meeting_desk'],
      retention: 'plan_plus_months',
    },
    {
      id: 'institutions',
      data: ['institution', 'institution_email', 'contact_person', 'opinion_answers', 'official_letter', 'invitation_tracking'],
      specialCategory: [],
      notCollected: [],
      purposes: [byLaw('consult_institutions'), { id: 'evidence_of_consultation', legalBases: ['law', 'legal_obligation'] }],
      collection: ['invitation_register', 'self_registration', 'web_form'],
      retention: 'institution_record',
    },
    {
      id: 'back_office',
      data: ['staff_identity', 'login_records', 'audit_log'],
      specialCategory: [],
      notCollected: [],
      purposes: [
        { id: 'run_back_office', legalBases: ['legal_obligation'] },
        { id: 'data_security', legalBases: ['legal_obligation'] },
      ],
      collection: ['account_setup', 'automatic_logs'],
      retention: 'account',
    },
  ];
  return {
    version: municipality.privacy.noticeVersion,
    date: municipality.privacy.noticeDate,
    controller: {
      name: controller.name,
      address: controller.address,
      email: controller.email,
      phone: controller.phone,
      kepAddress: controller.kepAddress ?? null,
    },
    params: { period: planPeriodLabel(municipality), months: municipality.privacy.retentionMonths, version: municipality.privacy.noticeVersion },
    activities,
    recipients: [...RECIPIENTS],
    consents: activities.flatMap((activity) =>
      activity.purposes.flatMap((purpose) => (purpose.consent ? [{ purpose: purpose.consent, activity: activity.id, erases: purpose.erasedOnWithdrawal ?? [] }] : [])),
    ),
    rights: RIGHTS.map((id) => ({ id, letter: RIGHT_LETTERS[id] })),
    // A KEP address is offered only where the municipality has one.
    application: { methods: APPLICATION_METHODS.filter((method) => method !== 'kep' || controller.kepAddress), answerDays: ANSWER_DAYS },
    cookies: [...COOKIES],
  };
}
