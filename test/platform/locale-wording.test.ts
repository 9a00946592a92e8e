// One word for one thing across the interface: a select's placeholder says "Seçiniz" everywhere
// (the usual form in Turkish forms), and "Choose" in English.
import fs from 'node:fs';
import path from 'node:path';
import { readLocales } from '../../server/platform/i18n/i18n';
import { projectRoot } from '../../server/platform/paths';

function leaves(value: unknown, prefix: string, out: Map<string, string>): Map<string, string> {
  if (value && typeof value === 'object') for (const [key, child] of Object.entries(value)) leaves(child, `${prefix}.${key}`, out);
  else out.set(prefix, String(value));
  return out;
}

const resources = readLocales();
const texts = (language: string) => {
  const out = new Map<string, string>();
  for (const [namespace, tree] of Object.entries(resources[language] ?? {})) leaves(tree, namespace, out);
  return out;
};
/** A placeholder alone in a value: "Seçin", "— Seçiniz —", "Seçin…". */
const placeholder = (word: string) => new RegExp(`^[\\s\\p{P}]*${word}[\\s\\p{P}]*$`, 'u');

describe('the select placeholder', () => {
  it('is "Seçiniz" in every Turkish namespace, never "Seçin"', () => {
    const turkish = texts('tr');
    expect([...turkish].filter(([, text]) => placeholder('Seçin').test(text)).map(([key]) => key)).toEqual([]);
    expect([...turkish].filter(([, text]) => placeholder('Seçiniz').test(text)).length).toBeGreaterThanOrEqual(3);
  });

  it('is "Choose" in English wherever Turkish says "Seçiniz"', () => {
    const english = texts('en');
    const keys = [...texts('tr')].filter(([, text]) => placeholder('Seçiniz').test(text)).map(([key]) => key);
    expect(keys.map((key) => [key, english.get(key)])).toEqual(keys.map((key) => [key, 'Choose']));
  });

  it('is not written into a view', () => {
    const views = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? views(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
    const written = views(path.join(projectRoot, 'views')).filter((file) => /Seçin(iz)?\b/u.test(fs.readFileSync(file, 'utf8')));
    expect(written).toEqual([]);
  });
});
