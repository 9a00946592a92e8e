// The outcome tables of neighbourhood meetings, as plain labelled tables: the pages print them,
// the exports write them (T15 per meeting, T15b requests by activity area × meeting, requests by
// activity area and by mahalle). Labels come from the caller's translator.
import type { Municipality } from '../municipality';
import type { Cell } from '../platform/export/writers';
import type { Translate } from '../platform/i18n/i18n';
import { localize } from '../platform/i18n/localize';
import { compareTurkish } from '../platform/text';
import type { Db } from '../platform/db/connection';
import * as meetingRepository from './meeting.repository';
import type { Meeting, MeetingCounts, MeetingRequest } from './meeting.repository';
import { areaByMeeting, tally, topAreas, type RequestFacts } from './meeting-rules';
import { attendanceOf, titleOf } from './meeting.service';

export interface OutcomeTable {
  id: string;
  caption: string;
  columns: { label: string; type: 'label' | 'count' | 'percent' }[];
  rows: Cell[][];
  /** A total row, printed in the table's foot. */
  total?: Cell[];
  /** Drawn as bars of the first count column by public/js/charts.js. */
  chart?: 'bar';
}

export interface Words {
  t: Translate;
  language: string;
  municipality: Municipality;
  formatDate: (iso: string) => string;
  formatTime: (iso: string) => string;
}

export interface MeetingOutcomes {
  meetings: (Meeting & { counts: MeetingCounts; attended: number; requestCount: number })[];
  requests: MeetingRequest[];
}

/** The given meetings, or else every meeting held by `now` (cancelled ones were not held). */
export async function loadOutcomes(db: Db, scope: { meetingIds: number[] } | { heldBy: Date }): Promise<MeetingOutcomes> {
  const meetings =
    'meetingIds' in scope
      ? await meetingRepository.listMeetings(db, { ids: scope.meetingIds })
      : (await meetingRepository.listMeetings(db)).filter((m) => !m.cancelled_at && Date.parse(m.starts_at) <= scope.heldBy.getTime());
  const counts = await meetingRepository.countsOf(db, meetings.map((m) => m.id));
  const requests = await meetingRepository.requestsOf(db, meetings.map((m) => m.id));
  return {
    meetings: meetings.map((m) => {
      const c = counts.get(m.id)!;
      return { ...m, counts: c, attended: attendanceOf(m, c.attended), requestCount: requests.filter((r) => r.meeting_id === m.id).length };
    }),
    requests,
  };
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
    m.mahalles.map((id) => mahalleName(words, id)).sort(compareTurkish).join(', '),
    m.counts.confirmed,
    m.attended,
    m.requestCount,
    topAreas(facts, m.id, order)
      .map((id) => areaName(words, id))
      .join('; '),
  ]);
  const sum = (pick: (m: MeetingOutcomes['meetings'][number]) => number) => outcomes.meetings.reduce((s, m) => s + pick(m), 0);
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
      ['outcomes.requests', 'count'],
      'outcomes.top_topics',
    ]),
    rows,
    total: rows.length > 1 ? [t('meetings:outcomes.total'), '', '', '', sum((m) => m.counts.confirmed), sum((m) => m.attended), sum((m) => m.requestCount), ''] : undefined,
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
