// Reading and posting server-rendered forms the way a browser without JavaScript does.
import type { Response } from 'supertest';
import type TestAgent from 'supertest/lib/agent';

export type Fields = Record<string, string | string[]>;

/** application/x-www-form-urlencoded with repeated names for lists, as browsers send checkboxes. */
export function encodeForm(fields: Fields): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(name, item);
  }
  return params.toString();
}

/** The page's hidden fields; `_version` only where the page carries one (an institution's form). */
export function hiddenFields(html: string): { _csrf: string; _key: string; _version?: string } {
  const find = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
  const value = (name: string) => {
    const found = find(name);
    if (found === undefined) throw new Error(`No hidden field ${name} in page`);
    return found;
  };
  const version = find('_version');
  return { _csrf: value('_csrf'), _key: value('_key'), ...(version === undefined ? {} : { _version: version }) };
}

/** GETs a section page and posts it with the given answers, like a person pressing "Next". */
export async function answerSection(
  agent: TestAgent,
  url: string,
  answers: Fields,
  nav: 'next' | 'back' = 'next',
): Promise<{ page: Response; response: Response }> {
  const page = await agent.get(url);
  if (page.status !== 200) throw new Error(`GET ${url} answered ${page.status} ${page.headers.location ?? ''}`);
  const response = await agent
    .post(url)
    .type('form')
    .send(encodeForm({ ...hiddenFields(page.text), _nav: nav, ...answers }));
  return { page, response };
}

/** The text of the page's error summary links, for assertions. */
export function errorSummary(html: string): string[] {
  const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<a href="([^"]+)">/g)].map((match) => match[1]!);
}
