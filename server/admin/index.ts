// The back-office shell's public face.
export { adminRouter, adminSession, type AdminDeps } from './admin.routes';
export { actorOf, can, flash, requirePermission, type Flash, type Permission } from './access';
export * as accountService from './account.service';
export type { User } from './user.repository';
export { outboxRouter } from './outbox.routes';
