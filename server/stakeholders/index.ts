// The stakeholder register's public face.
export { STAKEHOLDER_UPLOAD_PATHS, stakeholdersRouter, type StakeholderDeps } from './stakeholders.routes';
export * as stakeholderRepository from './stakeholder.repository';
export * as stakeholderService from './stakeholder.service';
export { byGroup, byPriority, category, priority, CATEGORIES, type Category } from './stakeholder-rules';
export { STAKEHOLDER_GROUPS, type StakeholderGroup } from './stakeholder.table';
export type { Stakeholder, StakeholderInput } from './stakeholder.repository';
export { stakeholderMatrix } from './stakeholder-matrix';
