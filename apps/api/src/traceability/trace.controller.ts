import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@tiersight/access';
import { TraceService } from '@tiersight/traceability';
import { LotParam, TraceQuery } from './epcis.dto';
import { TraceResult } from './epcis.responses.dto';

@ApiTags('traceability')
@ApiBearerAuth()
@Roles('admin', 'analyst')
@Controller('v1/trace')
export class TraceController {
  constructor(private readonly traces: TraceService) {}

  /**
   * A lot's trace through transformations: backward, every lot that went into
   * it; forward, every lot and SKU it went into (its recall scope); each with
   * the linking event, where (site and tier) and when.
   */
  @Get(':lot')
  @ApiOkResponse({ type: TraceResult })
  trace(@Param() p: LotParam, @Query() q: TraceQuery): Promise<TraceResult> {
    return this.traces.trace(p.lot, q.direction, q.depth);
  }
}
