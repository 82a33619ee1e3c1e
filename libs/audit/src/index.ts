export { AuditModule } from './audit.module';
export { AuditLog } from './audit-log.service';
export { canonicalJson, ChainVerifier, entryHash, GENESIS_HASH } from './audit-hash';
export type { AuditActor, AuditEntry, AuditRecord, ChainCheck } from './audit-hash';
