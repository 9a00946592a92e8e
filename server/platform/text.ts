// Text matching for Turkish: "İSTANBUL", "istanbul" and "Istanbul" match, and so do "çevre" and
// "cevre" — what people expect from a search box.

/** Lower case with Turkish rules (I→ı, İ→i), then without diacritics, and ı as i. */
export function foldTurkish(text: string): string {
  return text
    .toLocaleLowerCase('tr-TR')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ı/g, 'i');
}

export function includesFolded(text: string, query: string): boolean {
  return foldTurkish(text).includes(foldTurkish(query));
}

const turkish = new Intl.Collator('tr');

/**
 * Turkish alphabetical order (C Ç D … I İ J … S Ş T), for every list people read by name.
 * SQLite's ORDER BY compares bytes and puts Ç, İ and Ş after Z: sort in JavaScript after reading.
 */
export function compareTurkish(a: string, b: string): number {
  return turkish.compare(a, b);
}

export function byName(a: { name: string }, b: { name: string }): number {
  return turkish.compare(a.name, b.name);
}

/** Names shown as one list ("Cami, İstasyon, Merkez"): in Turkish order, comma-separated. */
export function nameList(names: Iterable<string>): string {
  return [...names].sort(compareTurkish).join(', ');
}
