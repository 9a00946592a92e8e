// The project documents itself: a clone holds every page its README, docs and comments point to.
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../server/platform/paths';

const SOURCES = ['README.md', 'docs', 'server', 'views', 'scripts', 'bench', 'surveys', 'test', '.ci'];
const TEXT = /\.(md|ts|mjs|js|ejs|json|sh)$|^run$/;

function files(entry: string): string[] {
  const full = path.join(projectRoot, entry);
  if (!fs.existsSync(full)) return [];
  if (fs.statSync(full).isFile()) return TEXT.test(path.basename(full)) ? [entry] : [];
  return fs.readdirSync(full).flatMap((name) => files(path.join(entry, name)));
}

const all = SOURCES.flatMap(files).filter((file) => file !== path.join('test', 'docs', 'references.test.ts'));
const read = (file: string) => fs.readFileSync(path.join(projectRoot, file), 'utf8');

describe("the project's documentation", () => {
  it('points nowhere outside the repository (no ../shared, no file a clone lacks)', () => {
    const outside = all.filter((file) => /\.\.\/shared\b|\/work\/shared/.test(read(file)));
    expect(outside).toEqual([]);
  });

  it('has every relative link in its Markdown files resolve to a file in the repository', () => {
    const broken: string[] = [];
    for (const file of all.filter((f) => f.endsWith('.md'))) {
      for (const [, target] of read(file).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:|^#/.test(target!)) continue;
        const resolved = path.join(projectRoot, path.dirname(file), decodeURI(target!.split('#')[0]!));
        if (!fs.existsSync(resolved)) broken.push(`${file}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('has a section (and numbered item) in docs/domain.md for every "domain.md §n" cited', () => {
    const domain = read('docs/domain.md');
    const sections = new Map<string, string>();
    for (const part of domain.split(/^## /m).slice(1)) sections.set(/^(\d+)\./.exec(part)?.[1] ?? '', part);
    const citations = all.flatMap((file) => [...read(file).matchAll(/domain(?:\.md)? §(\d+)(?:\.(\d+))?/g)].map((m) => ({ file, section: m[1]!, item: m[2] })));
    expect(citations.length).toBeGreaterThan(3);
    const missing = citations.filter(({ section, item }) => {
      const text = sections.get(section);
      return !text || (item !== undefined && !new RegExp(`^${item}\\. `, 'm').test(text));
    });
    expect(missing).toEqual([]);
    // Every citation names the file a reader can open.
    expect(all.filter((file) => /(?<!docs\/)domain(\.md)? §/.test(read(file)))).toEqual([]);
  });
});
