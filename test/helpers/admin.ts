// Back-office helpers: users with known passwords, and agents logged in as them.
import ExcelJS from 'exceljs';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import * as accountService from '../../server/admin/account.service';
import type { Role } from '../../server/admin/account.table';
import type { TestApp } from './test-app';

export interface TestUser {
  id: number;
  email: string;
  name: string;
  role: Role;
  password: string;
}

let counter = 0;

export async function addUser(t: TestApp, role: Role, name = `${role} ${++counter}`): Promise<TestUser> {
  const email = `${role}.${counter}.${Date.now()}@example.org`;
  const password = `parola-${role}-${counter}-uzun`;
  const outcome = await accountService.createUser(t.db, { email, name, role, password }, { userId: null, email: 'test', ip: null }, t.clock.now);
  if (outcome.kind !== 'created') throw new Error('could not create test user');
  return { id: outcome.userId, email, name, role, password };
}

/** The CSRF token of the first form on a page. */
export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('No CSRF token on the page');
  return match[1]!;
}

export async function logIn(t: TestApp, user: Pick<TestUser, 'email' | 'password'>): Promise<TestAgent> {
  const agent = request.agent(t.app);
  const page = await agent.get('/admin/login');
  const response = await agent.post('/admin/login').type('form').send({ _csrf: csrfFrom(page.text), email: user.email, password: user.password });
  if (response.status !== 303) throw new Error(`login answered ${response.status}`);
  return agent;
}

/** Posts a back-office form the way the browser does: token from the page, fields as given. */
export async function postForm(agent: TestAgent, pageUrl: string, action: string, fields: Record<string, string> = {}) {
  const page = await agent.get(pageUrl);
  return agent.post(action).type('form').send({ _csrf: csrfFrom(page.text), ...fields });
}

/** A download as a Buffer in response.body, whatever its type. */
export function downloadBinary(agent: TestAgent, url: string) {
  return agent
    .get(url)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
}

/** Downloads an XLSX export and opens it, as a planner's spreadsheet program would. */
export async function downloadWorkbook(agent: TestAgent, url: string): Promise<{ status: number; book: ExcelJS.Workbook }> {
  const response = await downloadBinary(agent, url);
  const book = new ExcelJS.Workbook();
  if (response.status === 200) await book.xlsx.load(response.body as unknown as ArrayBuffer);
  return { status: response.status, book };
}
