// Two apps on one database standing for two server processes, and a browser answering the
// survey's first page through them: shared by the rate-limit tests that run on both engines and
// those that lock the SQLite file.
import path from 'node:path';
import request from 'supertest';
import { DEFAULT_RATE_LIMITS, type RateLimitSettings, type RateLimitStore } from '../../server/platform/security/rate-limit';
import { encodeForm, hiddenFields } from './forms';
import { validSectionFields } from './survey-walker';
import { createTestApp, type TestApp } from './test-app';

export const RATE_LIMITED_SURVEY = '/anket/vatandas-anketi/1';

/** Two "processes" on one database (`dir`/paydas.sqlite), both counting in `store`, on one clock; pushed onto `apps` to be closed. */
export async function twoApps(
  dir: string,
  apps: TestApp[],
  store: RateLimitStore,
  rateLimits: Partial<RateLimitSettings> = DEFAULT_RATE_LIMITS,
  options: { trustProxy?: boolean } = {},
): Promise<[TestApp, TestApp]> {
  const databaseFile = path.join(dir, 'paydas.sqlite');
  const first = await createTestApp({ databaseFile, rateLimits, rateLimitStore: store, ...options });
  const second = await createTestApp({ databaseFile, rateLimits, rateLimitStore: store, ...options });
  apps.push(first, second);
  return [first, second];
}

/**
 * One browser answering the survey's first page again and again, its requests spread over the
 * apps as a load balancer would: it keeps its cookies (the browser id, set by the first page).
 */
export function browser() {
  let cookies = new Map<string, string>();
  const header = () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  const keep = (setCookie: string[] | string | undefined) => {
    for (const line of [setCookie ?? []].flat()) {
      const [pair] = line.split(';');
      const [name, value] = pair!.split('=') as [string, string];
      cookies = new Map(cookies).set(name, value);
    }
  };
  return {
    cookies: () => cookies,
    /** GET the page from one app, POST its answers to another (or the same). */
    async answer(pageFrom: TestApp, postTo: TestApp) {
      const page = await request(pageFrom.app).get(RATE_LIMITED_SURVEY).set('Cookie', header());
      expect(page.status).toBe(200);
      keep(page.headers['set-cookie']);
      const fields = { ...hiddenFields(page.text), _nav: 'next', ...validSectionFields(pageFrom.catalog.find('vatandas-anketi')!, 0) };
      const response = await request(postTo.app).post(RATE_LIMITED_SURVEY).set('Cookie', header()).type('form').send(encodeForm(fields));
      keep(response.headers['set-cookie']);
      return response;
    },
  };
}

export const rateLimitRows = (t: TestApp) => t.db.selectFrom('rate_limit_hits').selectAll().orderBy('bucket').execute();
