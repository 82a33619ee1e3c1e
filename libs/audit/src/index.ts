export { AuditModule } from './audit.module';
export { AuditLog } from './audit-log.service';
export type { AuditActor } from './audit-hash';
