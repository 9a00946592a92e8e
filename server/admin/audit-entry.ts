// The audit log in words: each entry becomes a sentence in the reader's language that links to the
// objects it names, so a planner reads "who did what to which survey" rather than raw JSON.
// Entries are data-driven (action → sentence key + the objects it names); an action without a
// sentence still reads as its label and a key/value list, never as JSON.
import type { AuditEvent } from '../platform/audit/audit.repository';
import { escapeHtml } from '../platform/i18n/localize';

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** Something an entry names: its words and, where the back office has a page for it, the address. */
export interface Ref {
  text: string;
  href?: string;
}

export interface Fact {
  label: string;
  value: string;
}

export interface AuditLine {
  /** Escaped HTML: the locale's sentence with the named objects escaped (and linked) in it. */
  html: string;
  /** What the sentence does not say, as readable key/value pairs. */
  facts: Fact[];
  ip: string | null;
}

const survey = (slug: string): Ref => ({ text: slug, href: `/admin/surveys/${encodeURIComponent(slug)}` });
const response = (slug: string, id: string): Ref => ({ text: `#${id}`, href: `/admin/surveys/${encodeURIComponent(slug)}/responses/${id}` });
const meeting = (id: string, title?: unknown): Ref => ({ text: typeof title === 'string' && title ? title : `#${id}`, href: `/admin/meetings/${id}` });

/** A response target is written "slug#id"; a meeting target "meeting:id". */
const responseTarget = (target: string | null) => /^([^#\s]+)#(\d+)$/.exec(target ?? '');
const meetingTarget = (target: string | null) => /^meeting:(\d+)$/.exec(target ?? '');
const text = (value: unknown): Ref | undefined => (typeof value === 'string' || typeof value === 'number' ? { text: String(value) } : undefined);

interface Sentence {
  /** The objects the sentence names, by placeholder; undefined when the entry lacks them (then the fallback applies). */
  refs: (event: AuditEvent, t: Translate) => Record<string, Ref | undefined>;
  /** Detail keys the sentence already says, left out of the key/value list. */
  says?: string[];
}

const onResponse: Sentence = {
  refs: (e) => {
    const m = responseTarget(e.target);
    return { survey: m ? survey(m[1]!) : undefined, response: m ? response(m[1]!, m[2]!) : undefined };
  },
};
const onSurvey: Sentence = { refs: (e) => ({ survey: e.target ? survey(e.target) : undefined }) };
const onMeeting: Sentence = {
  refs: (e) => {
    const m = meetingTarget(e.target);
    return { meeting: m ? meeting(m[1]!, e.details?.title) : undefined };
  },
  says: ['title'],
};
const onInstitution: Sentence = {
  refs: (e) => ({ institution: text(e.target), survey: typeof e.details?.survey === 'string' ? survey(e.details.survey) : undefined }),
  says: ['survey'],
};
/** A survey's access-code mode ("none", "optional", "required") in the reader's words; anything else is unknown. */
const ACCESS_MODES = new Set(['none', 'optional', 'required']);
const accessMode = (value: unknown, t: Translate): Ref | undefined =>
  typeof value === 'string' && ACCESS_MODES.has(value) ? { text: t(`access_codes:modes.${value}`) } : undefined;
const onAccessMode: Sentence = {
  refs: (e, t) => ({ survey: e.target ? survey(e.target) : undefined, from: accessMode(e.details?.from, t), to: accessMode(e.details?.to, t) }),
  says: ['from', 'to'],
};
const onUser: Sentence = { refs: (e) => ({ user: text(e.target) }) };
const byWhoOnly: Sentence = { refs: () => ({}) };

/** Actions written as sentences; the key is admin:audit.sentences.<action with "_" for ".">. */
export const SENTENCES: Partial<Record<string, Sentence>> = {
  'login.succeeded': byWhoOnly,
  'login.failed': byWhoOnly,
  logout: byWhoOnly,
  'user.created': onUser,
  'user.role_changed': onUser,
  'user.disabled': onUser,
  'user.enabled': onUser,
  'user.password_reset': onUser,
  'survey.opened': onSurvey,
  'survey.closed': onSurvey,
  'survey.dates_changed': onSurvey,
  'survey.uploaded': onSurvey,
  'survey.published': onSurvey,
  'survey.draft_created': onSurvey,
  'survey.draft_changed': onSurvey,
  'survey.draft_discarded': onSurvey,
  'survey.access_mode_changed': onAccessMode,
  'survey.access_codes_created': onSurvey,
  'response.excluded': onResponse,
  'response.restored': onResponse,
  'response.kept': onResponse,
  'response.settled': { ...onResponse, says: [] },
  'response.corrected': { ...onResponse, says: [] },
  'invitation.sent': { refs: (e) => ({ survey: e.target ? survey(e.target) : undefined, count: text(e.details?.invited) }), says: ['invited'] },
  'invitation.reminded': onInstitution,
  'invitation.resent': onInstitution,
  'invitation.revoked': onInstitution,
  'meeting.created': onMeeting,
  'meeting.changed': onMeeting,
  'meeting.cancelled': onMeeting,
  'registration.cancelled': {
    refs: (e) => {
      const m = meetingTarget(e.target);
      return { meeting: m ? meeting(m[1]!) : undefined, registration: text(e.details?.registration) };
    },
    says: ['registration'],
  },
  'registration.added_by_phone': {
    refs: (e) => {
      const m = meetingTarget(e.target);
      return { meeting: m ? meeting(m[1]!) : undefined, registration: text(e.details?.registration) };
    },
    says: ['registration'],
  },
};

/** "::ffff:127.0.0.1" (an IPv4 address seen through an IPv6 socket) as people write it. */
export function plainAddress(ip: string | null): string | null {
  if (!ip) return null;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  return mapped ? mapped[1]! : ip;
}

function refHtml(ref: Ref): string {
  return ref.href ? `<a href="${escapeHtml(ref.href)}">${escapeHtml(ref.text)}</a>` : escapeHtml(ref.text);
}

/** Detail keys whose values are codes with words of their own ("paper" → "Kâğıt", "tr" → "Türkçe"). */
const CODED_VALUES: Record<string, string> = {
  role: 'admin:roles.',
  channel: 'admin:channels.',
  language: 'common:languages.',
  reason: 'admin:responses.reasons.',
  audience: 'admin:audiences.',
};

/** A detail's key as a label in the reader's language ("reason" → "Gerekçe"); an unknown key as it is. */
export function factLabel(key: string, t: Translate): string {
  return t(`admin:audit.detail_labels.${key}`, { defaultValue: key });
}

/** A detail value in words: lists joined, yes/no for flags, codes as words, nested objects as "label: value". */
export function factValue(value: unknown, t: Translate, key?: string): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return t(value ? 'admin:audit.yes' : 'admin:audit.no');
  if (Array.isArray(value)) return value.map((item) => factValue(item, t, key)).join(', ');
  if (typeof value === 'object') return Object.entries(value as Record<string, unknown>).map(([inner, v]) => `${factLabel(inner, t)}: ${factValue(v, t, inner)}`).join('; ');
  const coded = key !== undefined ? CODED_VALUES[key] : undefined;
  if (coded && typeof value === 'string' && /^[a-z_]+$/.test(value)) return t(`${coded}${value}`, { defaultValue: value });
  // File formats are written as people know them: CSV, XLSX, DOCX.
  if (key === 'format' && typeof value === 'string' && /^[a-z0-9]{2,5}$/.test(value)) return value.toUpperCase();
  return String(value);
}

/** An audit entry as the reader's sentence; userNames turns the acting user's id into their name. */
export function describeAuditEvent(event: AuditEvent, t: Translate, userNames: ReadonlyMap<number, string>): AuditLine {
  const who: Ref = {
    text: (event.userId !== null ? userNames.get(event.userId) : undefined) ?? (event.actor && event.actor !== 'system' ? event.actor : t('admin:audit.system')),
  };
  const details = event.details ?? {};
  const sentence = SENTENCES[event.action];
  const refs = sentence?.refs(event, t);
  const complete = refs !== undefined && Object.values(refs).every((ref) => ref !== undefined);
  if (sentence && refs && complete) {
    const params: Record<string, string> = { who: refHtml(who) };
    for (const [name, ref] of Object.entries(refs)) params[name] = refHtml(ref!);
    const said = new Set(sentence.says ?? []);
    const facts = Object.entries(details)
      .filter(([key]) => !said.has(key))
      .map(([key, value]) => ({ label: factLabel(key, t), value: factValue(value, t, key) }));
    // A counted object ("invited 3 institutions") goes in as a number too, so English picks its plural form.
    const count = typeof details.invited === 'number' && 'count' in params ? { count: details.invited } : {};
    return { html: t(`admin:audit.sentences.${event.action.replace('.', '_')}`, { ...params, ...count }), facts, ip: plainAddress(event.ip) };
  }
  // No sentence for this action (or the entry lacks what it names): its label, then everything it holds.
  const label = t(`admin:audit.actions.${event.action.replace('.', '_')}`, { defaultValue: event.action });
  const facts: Fact[] = [];
  if (event.target) facts.push({ label: t('admin:audit.target'), value: event.target });
  for (const [key, value] of Object.entries(details)) facts.push({ label: factLabel(key, t), value: factValue(value, t, key) });
  return { html: t('admin:audit.sentences.fallback', { who: refHtml(who), action: escapeHtml(label) }), facts, ip: plainAddress(event.ip) };
}
