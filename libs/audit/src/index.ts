export { AuditModule } from './audit.module';
export { AuditLog } from './audit-log.service';
export { entryHash } from './audit-hash';
export type { AuditActor, AuditEntry } from './audit-hash';
