import { Controller, Get, Header, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '@tiersight/access';
import { RECALL_SCOPE_COLUMNS, recallScopeCsv, TraceService } from '@tiersight/traceability';
import { LotParam, RecallScopeQuery, TraceQuery } from './epcis.dto';
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

  /**
   * The recall scope of a lot (its forward trace) as CSV: the traced lot
   * first (depth 0), then every lot it went into, with site, supplier, tier,
   * the linking event and the SKUs each lot is a unit of.
   */
  @Get(':lot/recall.csv')
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: `columns: ${RECALL_SCOPE_COLUMNS.join(', ')}; \`skuIds\` space-separated`,
    schema: { type: 'string' },
    headers: { 'Trace-Truncated': { description: 'true when the walk stopped at depth (or at 10,000 lots) with more beyond', schema: { type: 'string' } } },
  })
  @Header('content-type', 'text/csv; charset=utf-8')
  @Header('content-disposition', 'attachment; filename="recall-scope.csv"')
  async recallScope(@Param() p: LotParam, @Query() q: RecallScopeQuery, @Res({ passthrough: true }) res: Response): Promise<string> {
    const trace = await this.traces.trace(p.lot, 'forward', q.depth);
    res.setHeader('Trace-Truncated', String(trace.truncated));
    return recallScopeCsv(trace);
  }
}
