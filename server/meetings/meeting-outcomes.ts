// The outcome tables of neighbourhood meetings, as plain labelled tables: the pages print them,
// the exports write them (T15 per meeting, T15b requests by activity area × meeting, requests by
// activity area and by mahalle). Labels come from the caller's translator.
import type { Municipality } from '../municipality';
import type { Cell } from '../platform/export/writers';
import type { Translate } from '../platform/i18n/i18n';
import { localize } from '../platform/i18n/localize';
import { nameList } from '../platform/text';
import type { Db } from '../platform/db/connection';
import * as meetingRepository from './meeting.repository';
import type { Meeting, MeetingCounts, MeetingRequest } from './meeting.repository';
import { areaByMeeting, attendanceOf, standingOf, tally, topAreas, type Attendance, type RequestFacts } from './meeting-rules';
import { titleOf } from './meeting.service';

export interface OutcomeTable {
  id: string;
  caption: string;
  columns: { label: string; type: 'label' | 'count' | 'percent' }[];
  rows: Cell[][];
  /** A total row, printed in the table's foot. */
  total?: Cell[];
  /** What the numbers mean and what the table leaves out, printed under it. */
  notes?: string[];
  /** Drawn as bars of the first count column by public/js/charts.js. */
  chart?: 'bar';
  /**
   * Per row, the language of its first cell where it is not the table's (a meeting's Turkish title
   * standing in for a missing English one): marked lang="…" on screen; exports ignore it.
   */
  firstCellLang?: (string | null)[];
}

/** "tr" where a meeting's title falls back to Turkish in the given language, else null. */
const titleLang = (meeting: { title_en: string | null }, language: string): string | null => (language !== 'tr' && !meeting.title_en ? 'tr' : null);

export interface Words {
  t: Translate;
  language: string;
  municipality: Municipality;
  formatDate: (iso: string) => string;
  formatTime: (iso: string) => string;
}

export interface MeetingOutcomes {
  meetings: (Meeting & { counts: MeetingCounts; attendance: Attendance; requestCount: number })[];
  requests: MeetingRequest[];
  /** The meetings left out of the tables, by reason, so the tables can say so. */
  left: { upcoming: number; cancelled: number };
}

/**
 * The given meetings, or else every meeting held by `heldBy` (see standingOf: started, or with
 * something recorded on its day; cancelled ones were not held), with those left out counted.
 */
export async function loadOutcomes(db: Db, scope: { meetingIds: number[] } | { heldBy: Date }): Promise<MeetingOutcomes> {
  const listed = await meetingRepository.listMeetings(db, 'meetingIds' in scope ? { ids: scope.meetingIds } : {});
  const counts = await meetingRepository.countsOf(db, listed.map((m) => m.id));
  const requests = await meetingRepository.requestsOf(db, listed.map((m) => m.id));
  const all = listed.map((m) => {
    const c = counts.get(m.id)!;
    return { ...m, counts: c, attendance: attendanceOf(m, c), requestCount: requests.filter((r) => r.meeting_id === m.id).length };
  });
  if ('meetingIds' in scope) return { meetings: all, requests, left: { upcoming: 0, cancelled: 0 } };
  const standing = new Map(
    all.map((m) => {
      const recorded = m.attendance.attended > 0 || m.attendance.headCount !== null || m.requestCount > 0 || m.notes !== null;
      return [m.id, standingOf(m, scope.heldBy, recorded)] as const;
    }),
  );
  const held = all.filter((m) => standing.get(m.id) === 'held');
  const heldIds = new Set(held.map((m) => m.id));
  return {
    meetings: held,
    requests: requests.filter((r) => heldIds.has(r.meeting_id)),
    left: {
      upcoming: all.filter((m) => standing.get(m.id) === 'upcoming').length,
      cancelled: all.filter((m) => standing.get(m.id) === 'cancelled').length,
    },
  };
}

/** Why some meetings are not in the tables, or nothing when none is left out. */
export function leftOutNote(outcomes: MeetingOutcomes, t: Translate): string | undefined {
  const { upcoming, cancelled } = outcomes.left;
  if (upcoming > 0 && cancelled > 0) return t('meetings:outcomes.left.both', { upcoming, cancelled });
  if (upcoming > 0) return t('meetings:outcomes.left.upcoming', { upcoming });
  if (cancelled > 0) return t('meetings:outcomes.left.cancelled', { cancelled });
  return undefined;
}

const factsOf = (requests: MeetingRequest[]): RequestFacts[] =>
  requests.map((r) => ({ meetingId: r.meeting_id, areaId: r.activity_area_id, mahalleId: r.mahalle_id, supporters: r.supporters }));

/** Columns from translation keys under meetings: (label columns unless a type is given). */
const columnsOf = (t: Translate, specs: (string | [string, 'count' | 'percent'])[]): OutcomeTable['columns'] =>
  specs.map((spec) => (typeof spec === 'string' ? { label: t(`meetings:${spec}`), type: 'label' as const } : { label: t(`meetings:${spec[0]}`), type: spec[1] }));

const percent = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 10);

export function areaName(words: Words, id: string): string {
  const area = words.municipality.activityAreas.find((a) => a.id === id);
  return area ? localize(area.name, words.language).text : id;
}

export function mahalleName(words: Words, id: string | null): string {
  if (id === null) return '';
  return words.municipality.mahalles.find((m) => m.id === id)?.name ?? id;
}

/** T15: one row per meeting. */
export function meetingsTable(outcomes: MeetingOutcomes, words: Words): OutcomeTable {
  const { t } = words;
  const order = words.municipality.activityAreas.map((a) => a.id);
  const facts = factsOf(outcomes.requests);
  const rows = outcomes.meetings.map((m): Cell[] => [
    titleOf(m, words.language),
    `${words.formatDate(m.starts_at)} ${words.formatTime(m.starts_at)}–${words.formatTime(m.ends_at)}`,
    m.venue,
    nameList(m.mahalles.map((id) => mahalleName(words, id))),
    m.counts.confirmed,
    m.attendance.attended,
    m.attendance.headCount,
    m.requestCount,
    topAreas(facts, m.id, order)
      .map((id) => areaName(words, id))
      .join('; '),
  ]);
  const sum = (pick: (m: MeetingOutcomes['meetings'][number]) => number) => outcomes.meetings.reduce((s, m) => s + pick(m), 0);
  const counted = outcomes.meetings.filter((m) => m.attendance.headCount !== null);
  const headCounts = counted.length === 0 ? null : counted.reduce((s, m) => s + m.attendance.headCount!, 0);
  const left = leftOutNote(outcomes, t);
  return {
    id: 't15',
    caption: t('meetings:outcomes.t15'),
    columns: columnsOf(t, [
      'outcomes.meeting',
      'outcomes.date',
      'outcomes.place',
      'outcomes.mahalles',
      ['outcomes.registered', 'count'],
      ['outcomes.attended', 'count'],
      ['outcomes.head_count', 'count'],
      ['outcomes.requests', 'count'],
      'outcomes.top_topics',
    ]),
    rows,
    firstCellLang: outcomes.meetings.map((m) => titleLang(m, words.language)),
    total: rows.length > 1 ? [t('meetings:outcomes.total'), '', '', '', sum((m) => m.counts.confirmed), sum((m) => m.attendance.attended), headCounts, sum((m) => m.requestCount), ''] : undefined,
    notes: [t('meetings:outcomes.t15_note'), ...(left ? [left] : [])],
  };
}

/** T15b: requests by activity area (rows) and meeting (columns). */
export function areaByMeetingTable(outcomes: MeetingOutcomes, words: Words): OutcomeTable {
  const { t } = words;
  const matrix = areaByMeeting(
    factsOf(outcomes.requests),
    words.municipality.activityAreas.map((a) => a.id),
    outcomes.meetings.map((m) => m.id),
  );
  return {
    id: 't15b',
    caption: t('meetings:outcomes.t15b'),
    columns: [
      { label: t('meetings:outcomes.area'), type: 'label' },
      ...outcomes.meetings.map((m) => ({ label: `${titleOf(m, words.language)} (${words.formatDate(m.starts_at)})`, type: 'count' as const })),
      { label: t('meetings:outcomes.total'), type: 'count' },
    ],
    rows: matrix.rows.map((row) => [areaName(words, row.areaId), ...row.counts, row.total]),
    total: [t('meetings:outcomes.total'), ...matrix.totals, matrix.total],
  };
}

function tallyTable(id: string, caption: string, label: string, requests: MeetingRequest[], keyOf: (r: RequestFacts) => string | null, nameOf: (key: string) => string, order: string[], words: Words): OutcomeTable {
  const { t } = words;
  const counted = tally(factsOf(requests), keyOf, order);
  const all = counted.reduce((s, c) => s + c.requests, 0);
  return {
    id,
    caption,
    columns: [{ label, type: 'label' }, ...columnsOf(t, [['outcomes.requests', 'count'], ['outcomes.share', 'percent'], ['outcomes.supporters', 'count']])],
    rows: counted.map((c) => [nameOf(c.key), c.requests, percent(c.requests, all), c.supporters]),
    total: counted.length > 0 ? [t('meetings:outcomes.total'), all, all > 0 ? 100 : null, counted.reduce((s, c) => s + c.supporters, 0)] : undefined,
    chart: 'bar',
  };
}

export function byAreaTable(requests: MeetingRequest[], words: Words): OutcomeTable {
  return tallyTable(
    'by-area',
    words.t('meetings:outcomes.by_area'),
    words.t('meetings:outcomes.area'),
    requests,
    (r) => r.areaId,
    (key) => areaName(words, key),
    words.municipality.activityAreas.map((a) => a.id),
    words,
  );
}

export function byMahalleTable(requests: MeetingRequest[], words: Words): OutcomeTable {
  return tallyTable(
    'by-mahalle',
    words.t('meetings:outcomes.by_mahalle'),
    words.t('meetings:outcomes.mahalle'),
    requests,
    (r) => r.mahalleId,
    (key) => mahalleName(words, key),
    words.municipality.mahalles.map((m) => m.id),
    words,
  );
}

/** Every request with its meeting, for the list and the export. */
export function requestsTable(outcomes: MeetingOutcomes, words: Words): OutcomeTable {
  const { t } = words;
  const meetings = new Map(outcomes.meetings.map((m) => [m.id, m]));
  return {
    id: 'requests',
    caption: t('meetings:outcomes.request_list'),
    columns: columnsOf(t, ['outcomes.meeting', 'outcomes.date', 'requests.text', 'outcomes.area', 'outcomes.mahalle', ['outcomes.supporters', 'count'], 'requests.gzft']),
    rows: outcomes.requests.map((r) => {
      const m = meetings.get(r.meeting_id)!;
      return [
        titleOf(m, words.language),
        words.formatDate(m.starts_at),
        r.text,
        areaName(words, r.activity_area_id),
        mahalleName(words, r.mahalle_id),
        r.supporters,
        r.gzft_kind ? t(`meetings:gzft.${r.gzft_kind}`) : '',
      ];
    }),
  };
}
