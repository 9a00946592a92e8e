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
