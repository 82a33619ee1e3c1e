import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, Roles } from '@tiersight/access';
import { KeyIdentity } from './me.responses.dto';

/** Who the presented key stands for: what a client (the web pages) shows and which pages it offers. */
@ApiTags('access')
@ApiBearerAuth()
@Roles('admin', 'analyst', 'supplier')
@Controller('v1/me')
export class MeController {
  @Get()
  @ApiOkResponse({ type: KeyIdentity, description: 'the key in the Authorization header' })
  me(@CurrentCaller() caller: Caller): Caller {
    return { keyId: caller.keyId, role: caller.role, supplierId: caller.supplierId };
  }
}
