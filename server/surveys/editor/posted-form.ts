// Reads the flat fields of a posted question form into the values of a question file. Every read
// also writes the normalised value back (`values`), so a refused form shows what was understood:
// removed rows gone, rows in their new order, pasted lines as rows, numbered as the errors are.
import { LANGUAGES } from '../../platform/i18n/i18n';
import type { LocalizedText } from '../../platform/schema';
import { SHARED_LISTS, type Option, type SharedListName } from '../survey-definition';
import { idFromLabel, uniqueId } from './option-ids';

export type FormValues = Record<string, string>;
export type Collection = 'options' | 'rows' | 'items';
export const CONDITION_OPERATORS = ['equals', 'notEquals', 'includes', 'anyOf'] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

/** A problem found before the schema sees the value: the field and a locale key (with its params). */
export interface EarlyError {
  field: string;
  key: string;
  params?: Record<string, unknown>;
}

interface PostedRow {
  index: number;
  id: string;
  label: Record<string, string>;
  order: number;
  exclusive: boolean;
  isNew: boolean;
  /** The heading of a matrix row group starting at this row (`rows.N.group.<language>`). */
  group: Record<string, string>;
}

/** A matrix's rows with the group headings posted beside them, in the rows' final order. */
export interface GroupedRows {
  source: Option[] | { list: SharedListName };
  /** One heading per row, empty where the row continues the previous group. */
  headings: Record<string, string>[];
}

export class PostedForm {
  readonly values: FormValues = {};
  readonly errors: EarlyError[] = [];

  constructor(readonly body: Record<string, unknown>) {}

  /** All strings posted under a name (a checkbox group or a repeated field posts several). */
  all(name: string): string[] {
    if (!Object.hasOwn(this.body, name)) return [];
    const raw = this.body[name];
    const list = Array.isArray(raw) ? raw : [raw];
    return list.filter((item): item is string => typeof item === 'string');
  }

  raw(name: string): string {
    return (this.all(name)[0] ?? '').trim();
  }

  text(name: string): string {
    const value = this.raw(name);
    this.values[name] = value;
    return value;
  }

  flag(name: string): boolean {
    const on = this.all(name).some((value) => value !== '');
    this.values[name] = on ? 'on' : '';
    return on;
  }

  /** One of a few values; blank → undefined, anything else is refused at the field. */
  choice<T extends string>(name: string, choices: readonly T[]): T | undefined {
    const value = this.text(name);
    if (value === '') return undefined;
    if ((choices as readonly string[]).includes(value)) return value as T;
    this.errors.push({ field: name, key: 'invalid_choice' });
    return undefined;
  }

  /** A number field: blank → undefined; a decimal comma is accepted as Turkish planners write it. */
  number(name: string): number | undefined {
    const value = this.text(name);
    if (value === '') return undefined;
    const parsed = /^[-+]?\d+([.,]\d+)?$/.test(value) ? Number(value.replace(',', '.')) : Number.NaN;
    if (Number.isNaN(parsed)) {
      this.errors.push({ field: name, key: 'not_a_number' });
      return undefined;
    }
    return parsed;
  }

  /**
   * A text in every language of the form. A required text is always an object, so a blank Turkish
   * text is reported at `<name>.tr`; an optional one is left out when every language is blank.
   */
  localized(name: string, required: true): Partial<LocalizedText>;
  localized(name: string, required: false): Partial<LocalizedText> | undefined;
  localized(name: string, required: boolean): Partial<LocalizedText> | undefined {
    const text: Record<string, string> = {};
    for (const language of LANGUAGES) {
      const value = this.text(`${name}.${language}`);
      if (value !== '') text[language] = value;
    }
    return required || Object.keys(text).length > 0 ? text : undefined;
  }

  /**
   * The options, rows or items of a question: a shared list, or the posted rows (blank rows and
   * rows ticked for removal dropped, reordered by their order numbers) plus one row per pasted line.
   */
  optionSource(collection: Collection, withExclusive: boolean): Option[] | { list: SharedListName } {
    return this.readRows(collection, withExclusive).source;
  }

  /** The rows of a matrix with their group headings. */
  matrixRows(): GroupedRows {
    return this.readRows('rows', false);
  }

  private readRows(collection: Collection, withExclusive: boolean): GroupedRows {
    const list = this.text(`${collection}.list`);
    const rows = this.optionRows(collection);
    this.values[`${collection}.paste`] = '';
    rows.forEach((row, i) => {
      const at = `${collection}.${i}`;
      this.values[`${at}.id`] = row.id;
      for (const language of LANGUAGES) this.values[`${at}.${language}`] = row.label[language] ?? '';
      this.values[`${at}.order`] = String(i + 1);
      if (withExclusive) this.values[`${at}.exclusive`] = row.exclusive ? 'on' : '';
      if (row.isNew) this.values[`${at}.new`] = 'on';
      if (collection === 'rows') for (const language of LANGUAGES) this.values[`${at}.group.${language}`] = row.group[language] ?? '';
    });
    const headings = rows.map((row) => row.group);
    if ((SHARED_LISTS as readonly string[]).includes(list)) return { source: { list: list as SharedListName }, headings };
    if (list !== '') this.errors.push({ field: `${collection}.list`, key: 'invalid_choice' });
    const source = rows.map((row) => ({
      id: row.id,
      label: row.label as LocalizedText,
      ...(withExclusive && row.exclusive ? { exclusive: true } : {}),
    }));
    return { source, headings };
  }

  private optionRows(collection: Collection): PostedRow[] {
    const rows: PostedRow[] = [];
    for (const index of this.rowIndexes(collection)) {
      const at = `${collection}.${index}`;
      const label: Record<string, string> = {};
      const group: Record<string, string> = {};
      for (const language of LANGUAGES) {
        const value = this.raw(`${at}.${language}`);
        if (value !== '') label[language] = value;
        const heading = this.raw(`${at}.group.${language}`);
        if (heading !== '') group[language] = heading;
      }
      const id = this.raw(`${at}.id`);
      if (this.raw(`${at}.remove`) !== '' || (id === '' && Object.keys(label).length === 0)) continue;
      const order = Number(this.raw(`${at}.order`).replace(',', '.'));
      rows.push({
        index,
        id,
        label,
        // A row whose order number was changed goes before the row that already had that number.
        order: this.raw(`${at}.order`) === '' || Number.isNaN(order) ? index + 1 : order,
        exclusive: this.raw(`${at}.exclusive`) !== '',
        isNew: this.raw(`${at}.new`) !== '',
        group,
      });
    }
    const moved = (row: PostedRow) => (row.order !== row.index + 1 ? 0 : 1);
    rows.sort((a, b) => a.order - b.order || moved(a) - moved(b) || a.index - b.index);

    const pasted = this.raw(`${collection}.paste`)
      .split(/\r?\n/)
      .map((line) => line.split('\t').map((cell) => cell.trim()))
      .filter((cells) => cells[0] !== '');
    for (const cells of pasted) {
      const label: Record<string, string> = { tr: cells[0]! };
      if (cells[1]) label.en = cells[1];
      rows.push({ index: -1, id: '', label, order: 0, exclusive: false, isNew: true, group: {} });
    }

    const taken = new Set(rows.map((row) => row.id).filter((id) => id !== ''));
    for (const row of rows) {
      if (row.id === '') row.id = uniqueId(idFromLabel(row.label.tr ?? Object.values(row.label)[0] ?? ''), taken);
    }
    return rows;
  }

  /** The row numbers posted for a list of rows, in the order of the form. */
  rowIndexes(prefix: string): number[] {
    const pattern = new RegExp(`^${prefix}\\.(\\d+)\\.[a-zA-Z]+$`);
    const indexes = new Set<number>();
    for (const key of Object.keys(this.body)) {
      const match = pattern.exec(key);
      if (match) indexes.add(Number(match[1]));
    }
    return [...indexes].filter((n) => n < 1000).sort((a, b) => a - b);
  }

  /** The scale points of a matrix, sorted by value; rows without a value keep their place at the end. */
  scalePoints(): { value: number | undefined; label: Partial<LocalizedText> }[] {
    const points: { index: number; value: number | undefined; label: Record<string, string> }[] = [];
    for (const index of this.rowIndexes('scale')) {
      const at = `scale.${index}`;
      const label: Record<string, string> = {};
      for (const language of LANGUAGES) {
        const value = this.raw(`${at}.${language}`);
        if (value !== '') label[language] = value;
      }
      const rawValue = this.raw(`${at}.value`);
      if (this.raw(`${at}.remove`) !== '' || (rawValue === '' && Object.keys(label).length === 0)) continue;
      const value = /^[-+]?\d+$/.test(rawValue) ? Number(rawValue) : undefined;
      points.push({ index, value, label });
    }
    points.sort((a, b) => (a.value ?? Infinity) - (b.value ?? Infinity) || a.index - b.index);
    points.forEach((point, i) => {
      const at = `scale.${i}`;
      const rawValue = this.raw(`scale.${point.index}.value`);
      this.values[`${at}.value`] = rawValue;
      for (const language of LANGUAGES) this.values[`${at}.${language}`] = point.label[language] ?? '';
      if (rawValue !== '' && point.value === undefined) this.errors.push({ field: `${at}.value`, key: 'not_an_integer' });
    });
    return points.map((point) => ({ value: point.value, label: point.label }));
  }
}
