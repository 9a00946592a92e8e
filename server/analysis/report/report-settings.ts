// The report's settings: which surveys it covers, the thresholds, its language, and how each
// survey's sample was drawn. Stored as one JSON setting; anything missing or stale falls back to
// a default, so a survey added later or removed never breaks the report.
import { z } from 'zod';
import type { Municipality } from '../../municipality';
import type { Executor } from '../../platform/db/connection';
import * as settingsRepository from '../../platform/db/settings.repository';
import { LANGUAGES, type Language } from '../../platform/i18n/i18n';
import type { Survey } from '../../surveys';

export const SAMPLING_METHODS = ['convenience', 'random', 'stratified', 'quota', 'census'] as const;
export type SamplingMethod = (typeof SAMPLING_METHODS)[number];

/** Samples for which a margin of error means something. */
export const PROBABILITY_SAMPLES: readonly SamplingMethod[] = ['random', 'stratified'];

export const DEFAULT_SUPPRESSION = 5;

export interface ReportSettings {
  municipalityName: string;
  planStart: number;
  planEnd: number;
  /** Surveys in T4, T5 and the totals. */
  surveys: string[];
  /** The citizen survey behind T6–T13 and F2, F3. */
  citizenSurvey: string | null;
  /** Counts of fewer respondents than this are shown as "<n". */
  suppression: number;
  language: Language;
  sampling: Record<string, SamplingMethod>;
  /** The number of the first table and figure, for a section that goes after the plan's own. */
  firstTable: number;
  firstFigure: number;
}

export const MAX_FIRST_NUMBER = 999;

const KEY = 'report_settings';

export const StoredSettings = z.object({
  municipalityName: z.string().trim().min(1).max(200),
  planStart: z.number().int().min(2000).max(2100),
  planEnd: z.number().int().min(2000).max(2100),
  surveys: z.array(z.string().max(100)).max(100),
  citizenSurvey: z.string().max(100).nullable(),
  suppression: z.number().int().min(1).max(50),
  language: z.enum(LANGUAGES),
  sampling: z.record(z.string().max(100), z.enum(SAMPLING_METHODS)),
  // Settings saved before these existed start at 1.
  firstTable: z.number().int().min(1).max(MAX_FIRST_NUMBER).default(1),
  firstFigure: z.number().int().min(1).max(MAX_FIRST_NUMBER).default(1),
});

export function defaultSettings(municipality: Municipality, surveys: Survey[]): ReportSettings {
  return {
    municipalityName: municipality.name.tr,
    planStart: municipality.planPeriod.start,
    planEnd: municipality.planPeriod.end,
    surveys: surveys.filter((s) => s.audience === 'citizen' || s.audience === 'institution').map((s) => s.slug),
    citizenSurvey: surveys.find((s) => s.audience === 'citizen')?.slug ?? null,
    suppression: DEFAULT_SUPPRESSION,
    language: 'tr',
    sampling: Object.fromEntries(surveys.map((s) => [s.slug, s.audience === 'institution' ? 'census' : 'convenience'])),
    firstTable: 1,
    firstFigure: 1,
  };
}

/** The stored settings over the defaults, keeping only surveys that still exist. */
export function reconcile(stored: unknown, municipality: Municipality, surveys: Survey[]): ReportSettings {
  const defaults = defaultSettings(municipality, surveys);
  const parsed = StoredSettings.safeParse(stored);
  if (!parsed.success) return defaults;
  const known = new Set(surveys.map((s) => s.slug));
  const settings = parsed.data;
  return {
    ...settings,
    surveys: settings.surveys.filter((slug) => known.has(slug)),
    // "None" stays none; a survey no longer included is no longer the report's source.
    citizenSurvey: settings.citizenSurvey && known.has(settings.citizenSurvey) && settings.surveys.includes(settings.citizenSurvey) ? settings.citizenSurvey : null,
    sampling: { ...defaults.sampling, ...Object.fromEntries(Object.entries(settings.sampling).filter(([slug]) => known.has(slug))) },
  };
}

export async function load(db: Executor, municipality: Municipality, surveys: Survey[]): Promise<ReportSettings> {
  const raw = await settingsRepository.find(db, KEY);
  let stored: unknown;
  try {
    stored = raw === undefined ? undefined : JSON.parse(raw);
  } catch {
    stored = undefined;
  }
  return reconcile(stored, municipality, surveys);
}

export async function save(db: Executor, settings: ReportSettings, now: Date): Promise<void> {
  await settingsRepository.upsert(db, KEY, JSON.stringify(settings), now);
}
