// The fields of the later format additions, read and written as flat form values: a matrix's row
// groups (a heading beside the row that starts each group), a rating's point labels, a number's
// bands (rows and pasted ranges) and the institution type's register map.
import { LANGUAGES } from '../../platform/i18n/i18n';
import type { LocalizedText } from '../../platform/schema';
import { STAKEHOLDER_GROUPS } from '../../stakeholders/stakeholder.table';
import type { Band, Option, RowGroup, SharedListName } from '../survey-definition';
import { uniqueId } from './option-ids';
import type { FormValues, GroupedRows, PostedForm } from './posted-form';

export const RATING_POINTS: Record<string, number> = { '1-5': 5, '1-10': 10, '0-10': 11 };
export const NOT_APPLICABLE_POSITIONS = ['first', 'last'] as const;

function localized(values: FormValues, name: string, text: LocalizedText | undefined): void {
  for (const language of LANGUAGES) values[`${name}.${language}`] = text?.[language] ?? '';
}

/** The headings of a matrix's row groups, beside the row each group starts at. */
export function rowGroupValues(rows: Option[] | { list: SharedListName }, groups: RowGroup[] | undefined): FormValues {
  const values: FormValues = {};
  if (!groups || !Array.isArray(rows)) return values;
  for (const group of groups) {
    const start = rows.findIndex((row) => row.id === group.rows[0]);
    if (start >= 0) localized(values, `rows.${start}.group`, group.title);
  }
  return values;
}

/**
 * The row groups of the posted rows: a group starts at each row with a heading and takes the rows
 * after it up to the next heading. Undefined when no row has a heading.
 */
export function readRowGroups(form: PostedForm, grouped: GroupedRows): Partial<RowGroup>[] | undefined {
  const { source, headings } = grouped;
  if (!headings.some((heading) => Object.keys(heading).length > 0)) return undefined;
  if (!Array.isArray(source)) {
    form.errors.push({ field: 'rows.list', key: 'groups_need_own_rows' });
    return undefined;
  }
  if (Object.keys(headings[0] ?? {}).length === 0) {
    form.errors.push({ field: 'rows.0.group.tr', key: 'first_row_group' });
    return undefined;
  }
  const untitled = headings.flatMap((heading, i) => (Object.keys(heading).length > 0 && !heading.tr ? [i] : []));
  for (const i of untitled) form.errors.push({ field: `rows.${i}.group.tr`, key: 'turkish_required' });
  if (untitled.length > 0) return undefined;
  const groups: Partial<RowGroup>[] = [];
  source.forEach((row, i) => {
    const heading = headings[i]!;
    if (Object.keys(heading).length > 0) groups.push({ title: heading as LocalizedText, rows: [] });
    groups[groups.length - 1]!.rows!.push(row.id);
  });
  return groups;
}

export function pointLabelValues(scale: string, labels: LocalizedText[] | undefined): FormValues {
  const values: FormValues = {};
  const count = Math.max(RATING_POINTS[scale] ?? 0, labels?.length ?? 0);
  for (let i = 0; i < count; i++) localized(values, `pointLabels.${i}`, labels?.[i]);
  return values;
}

/** A label for every point of the chosen scale, or undefined when all are blank. */
export function readPointLabels(form: PostedForm, scale: string): Partial<LocalizedText>[] | undefined {
  const count = RATING_POINTS[scale] ?? form.rowIndexes('pointLabels').length;
  const labels = Array.from({ length: count }, (_, i) => form.localized(`pointLabels.${i}`, true));
  return labels.some((label) => Object.keys(label).length > 0) ? labels : undefined;
}

export function bandValues(bands: Band[] | undefined): FormValues {
  const values: FormValues = { 'bands.paste': '' };
  (bands ?? []).forEach((band, i) => {
    values[`bands.${i}.id`] = band.id;
    values[`bands.${i}.min`] = band.min === undefined ? '' : String(band.min);
    values[`bands.${i}.max`] = band.max === undefined ? '' : String(band.max);
    localized(values, `bands.${i}`, band.label);
  });
  return values;
}

const NUMBER = /^[-+]?\d+([.,]\d+)?$/;
const idPart = (value: number | undefined) => (value === undefined ? '' : String(value).replace(/[-.]/g, '_'));

/** 'b18_24' for 18–24, 'b65_plus' for 65 and over, 'b_17' for up to 17. */
export function bandId(min: number | undefined, max: number | undefined): string {
  if (max === undefined) return `b${idPart(min)}_plus`;
  return `b${idPart(min)}_${idPart(max)}`;
}

/** A pasted line: `18-24`, `25–34`, `65+` or `-17` (up to 17); undefined when it is none of these. */
export function parseBandLine(line: string): { min?: number; max?: number } | undefined {
  const text = line.replace(/\s+/g, '').replace(/[–—]/g, '-').replace(/,/g, '.');
  const range = /^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/.exec(text);
  if (range) return { min: Number(range[1]), max: Number(range[2]) };
  const open = /^(\d+(?:\.\d+)?)\+$/.exec(text);
  if (open) return { min: Number(open[1]) };
  const upTo = /^-(\d+(?:\.\d+)?)$/.exec(text);
  if (upTo) return { max: Number(upTo[1]) };
  return undefined;
}

/** The posted bands (blank and removed rows left out) and one band per pasted line; undefined when there are none. */
export function readBands(form: PostedForm): Partial<Band>[] | undefined {
  const bands: { id: string; min?: number; max?: number; label: Record<string, string> }[] = [];
  const bounds = (at: string, name: 'min' | 'max', row: number): number | undefined => {
    const value = form.raw(`${at}.${name}`);
    if (value === '') return undefined;
    if (!NUMBER.test(value)) {
      form.errors.push({ field: `bands.${row}.${name}`, key: 'not_a_number' });
      return undefined;
    }
    return Number(value.replace(',', '.'));
  };
  for (const index of form.rowIndexes('bands')) {
    const at = `bands.${index}`;
    const label: Record<string, string> = {};
    for (const language of LANGUAGES) {
      const value = form.raw(`${at}.${language}`);
      if (value !== '') label[language] = value;
    }
    const id = form.raw(`${at}.id`);
    const blank = id === '' && form.raw(`${at}.min`) === '' && form.raw(`${at}.max`) === '' && Object.keys(label).length === 0;
    if (blank || form.raw(`${at}.remove`) !== '') continue;
    const row = bands.length;
    bands.push({ id, min: bounds(at, 'min', row), max: bounds(at, 'max', row), label });
    // The raw text stays in the form, so a word typed as a bound is shown again with its error.
    form.values[`bands.${row}.min`] = form.raw(`${at}.min`);
    form.values[`bands.${row}.max`] = form.raw(`${at}.max`);
  }
  const lines = form.raw('bands.paste').split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
  const unread: string[] = [];
  for (const line of lines) {
    const parsed = parseBandLine(line);
    if (!parsed) unread.push(line);
    else {
      bands.push({ id: '', ...parsed, label: { tr: line } });
      const row = bands.length - 1;
      form.values[`bands.${row}.min`] = parsed.min === undefined ? '' : String(parsed.min);
      form.values[`bands.${row}.max`] = parsed.max === undefined ? '' : String(parsed.max);
    }
  }
  form.values['bands.paste'] = unread.join('\n');
  if (unread.length > 0) form.errors.push({ field: 'bands.paste', key: 'band_line', params: { line: unread[0] } });
  const taken = new Set(bands.map((band) => band.id).filter((id) => id !== ''));
  bands.forEach((band, i) => {
    if (band.id === '') band.id = uniqueId(bandId(band.min, band.max), taken);
    form.values[`bands.${i}.id`] = band.id;
    for (const language of LANGUAGES) form.values[`bands.${i}.${language}`] = band.label[language] ?? '';
  });
  if (bands.length === 0) return undefined;
  return bands.map(({ id, min, max, label }) => ({
    id,
    label: label as LocalizedText,
    ...(min === undefined ? {} : { min }),
    ...(max === undefined ? {} : { max }),
  }));
}

export function registerMapValues(map: Partial<Record<string, string>> | undefined): FormValues {
  return Object.fromEntries(STAKEHOLDER_GROUPS.map((group) => [`registerMap.${group}`, map?.[group] ?? '']));
}

/** The option chosen for each register group; groups left on "ask the institution" are not listed. */
export function readRegisterMap(form: PostedForm): Record<string, string> | undefined {
  const map: Record<string, string> = {};
  for (const group of STAKEHOLDER_GROUPS) {
    const option = form.text(`registerMap.${group}`);
    if (option !== '') map[group] = option;
  }
  return Object.keys(map).length > 0 ? map : undefined;
}
