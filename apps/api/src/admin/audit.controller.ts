import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '@tiersight/access';
import { AuditLog } from '@tiersight/audit';
import { AuditListQuery } from './admin.dto';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditLog) {}

  /** Entries newest first: who (key id), what, when, the change, and the hash chain. */
  @Get()
  list(@Query() q: AuditListQuery) {
    return this.audit.list(q.limit, q.cursor);
  }

  /** Re-computes the chain from the first entry; names the first entry that does not hold. */
  @Get('verify')
  verify() {
    return this.audit.verify();
  }
}
