// Option ids made from the planner's Turkish labels, so pasting a list of lines gives stable,
// readable ids (stored with every answer) without the planner typing any.
import { OTHER_OPTION_ID, OTHER_TEXT_ID } from '../survey-definition';

const TURKISH_LETTERS: Record<string, string> = { ç: 'c', ğ: 'g', ı: 'i', ö: 'o', ş: 's', ü: 'u' };
const MAX_GENERATED = 40;

/** 'Çok iyi' → 'cok_iyi', 'IŞIK' → 'isik', '2. seçenek' → 'secenek_2_secenek'; never empty, always a valid Identifier. */
export function idFromLabel(label: string): string {
  const folded = label
    .toLocaleLowerCase('tr')
    .replace(/[çğıöşü]/g, (letter) => TURKISH_LETTERS[letter]!)
    // Other accented letters (â, î, û in Turkish loanwords; é in names) lose their accent.
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, MAX_GENERATED)
    .replace(/_+$/, '');
  if (folded === '') return 'secenek';
  return /^[a-z]/.test(folded) ? folded : `secenek_${folded}`;
}

/**
 * An id for a new option that no other option of the question uses. The reserved ids of the
 * "Diğer" answer are never generated, so ticking "other" later cannot clash with a pasted "Other".
 */
export function uniqueId(base: string, taken: Set<string>): string {
  let id = base;
  for (let n = 2; taken.has(id) || id === OTHER_OPTION_ID || id === OTHER_TEXT_ID; n++) id = `${base}_${n}`;
  taken.add(id);
  return id;
}
