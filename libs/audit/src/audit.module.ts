import { Module } from '@nestjs/common';
import { GraphModule } from '@tiersight/graph';
import { AuditLog } from './audit-log.service';
import { AuditRepository } from './audit.repository';

/** The hash-chained audit log in Neo4j. Needs ConfigModule. */
@Module({
  imports: [GraphModule],
  providers: [AuditRepository, AuditLog],
  exports: [AuditLog],
})
export class AuditModule {}
