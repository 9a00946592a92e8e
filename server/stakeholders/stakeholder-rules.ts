// Prioritising stakeholders as the SBB's strategic planning guide does (Tablo 4): priority is
// önem × etki (1–25), and the 2×2 matrix of the two, cut at a threshold, gives the category.
import { compareTurkish } from '../platform/text';

export const CATEGORIES = ['izle', 'bilgilendir', 'cikarlarini_gozet', 'birlikte_calis'] as const;
export type Category = (typeof CATEGORIES)[number];

/** From this score on, importance counts as high and influence as strong (configurable, 2–5). */
export const DEFAULT_THRESHOLD = 3;

export function priority(importance: number, influence: number): number {
  return importance * influence;
}

/**
 * weak influence + low importance → İzle; strong influence + low importance → Bilgilendir;
 * weak influence + high importance → Çıkarlarını gözet; strong + high → Birlikte çalış.
 */
export function category(importance: number, influence: number, threshold = DEFAULT_THRESHOLD): Category {
  const important = importance >= threshold;
  const influential = influence >= threshold;
  if (influential) return important ? 'birlikte_calis' : 'bilgilendir';
  return important ? 'cikarlarini_gozet' : 'izle';
}

/** Highest priority first, then by name in Turkish order: the order of T2 and of the matrix's numbers. */
export function byPriority(a: { name: string; importance: number; influence: number }, b: { name: string; importance: number; influence: number }): number {
  return priority(b.importance, b.influence) - priority(a.importance, a.influence) || compareTurkish(a.name, b.name);
}

/** By group in the register's order of groups, then by name in Turkish order: the order of T1. */
export function byGroup(groups: readonly string[]) {
  return (a: { name: string; group: string }, b: { name: string; group: string }): number => groups.indexOf(a.group) - groups.indexOf(b.group) || compareTurkish(a.name, b.name);
}
