// Neighbourhood meetings in tests: one scheduled straight through the service, and residents
// signing up through the public form the way a browser without JavaScript does.
import type TestAgent from 'supertest/lib/agent';
import { meetingService } from '../../server/meetings';
import type { MeetingInput } from '../../server/meetings/meeting.repository';
import type { TestApp } from './test-app';

/** Two weeks after the test clock's default day, 19:00–21:00 Istanbul time. */
export const MEETING_START = '2026-12-05T16:00:00.000Z';
export const MEETING_END = '2026-12-05T18:00:00.000Z';

export function meetingInput(overrides: Partial<MeetingInput> = {}): MeetingInput {
  return {
    title_tr: 'Atatürk Mahallesi Buluşması',
    title_en: 'Atatürk Neighbourhood Meeting',
    venue: 'Atatürk Kültür Merkezi',
    address: 'Okul Sokak No: 3',
    starts_at: MEETING_START,
    ends_at: MEETING_END,
    capacity: 20,
    signup_deadline_at: '2026-12-05T12:00:00.000Z',
    accessibility_tr: 'Rampa ve asansör var.',
    accessibility_en: 'Ramp and lift available.',
    description_tr: 'Mahallemizin ihtiyaçlarını konuşuyoruz.',
    description_en: null,
    mahalles: ['ataturk'],
    ...overrides,
  };
}

export async function scheduleMeeting(t: TestApp, overrides: Partial<MeetingInput> = {}): Promise<number> {
  return meetingService.createMeeting(t.db, meetingInput(overrides), { userId: null, email: 'test', ip: null }, t.clock.now);
}

export interface Resident {
  name: string;
  phone?: string;
  email?: string;
  mahalle?: string;
  accessibility_need?: string;
  accessibility_consent?: string;
  future_meetings?: string;
}

/** The sign-up form's hidden fields. */
export function signUpFields(html: string): { _csrf: string; request_key: string } {
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  const key = /name="request_key" value="([^"]+)"/.exec(html)?.[1];
  if (!csrf || !key) throw new Error('No sign-up form on the page');
  return { _csrf: csrf, request_key: key };
}

/** Opens the meeting's page and sends the form; returns the response to the post. */
export async function signUp(agent: TestAgent, meetingId: number, resident: Resident, lang?: 'en') {
  const page = await agent.get(`/bulusmalar/${meetingId}${lang ? '?lang=en' : ''}`);
  if (page.status !== 200) throw new Error(`GET meeting answered ${page.status}`);
  return agent
    .post(`/bulusmalar/${meetingId}`)
    .type('form')
    .send({ ...signUpFields(page.text), phone: '', email: '', mahalle: 'ataturk', ...resident });
}
