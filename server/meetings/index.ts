// Neighbourhood meetings (mahalle buluşmaları): planning, sign-up with a waitlist, messages, check-in, outcomes.
export { meetingsRouter, type MeetingRoutesDeps } from './meetings.routes';
export { meetingsAdminRouter, type MeetingAdminDeps } from './meetings-admin.routes';
export * as meetingService from './meeting.service';
export * as meetingRepository from './meeting.repository';
export { loadOutcomes, meetingsTable, areaByMeetingTable, byAreaTable, byMahalleTable, type MeetingOutcomes, type OutcomeTable } from './meeting-outcomes';
