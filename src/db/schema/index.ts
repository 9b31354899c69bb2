export { people } from './people.js';
export { admins } from './admins.js';
export { licenses } from './licenses.js';
export { invitations } from './invitations.js';
export { seats } from './seats.js';
export { auditLog } from './audit-log.js';
export { outbox } from './outbox.js';
