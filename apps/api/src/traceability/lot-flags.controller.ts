import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, Roles } from '@tiersight/access';
import { FlaggedLotsService } from '@tiersight/traceability';
import { IdParam } from '../http/property-rules';
import { FlaggedLotPage, FlaggedLotQuery, SkuFlaggedLots } from './lot-flags.dto';

/**
 * The risk link (DESIGN §11): lots flagged by a disruption event or a sensor
 * excursion at a site they were observed at, or by their own sensor readings,
 * with the product affected. Registered before TraceController, whose
 * `/v1/trace/{lot}` would otherwise take `/v1/trace/flagged`.
 */
@ApiTags('traceability')
@ApiBearerAuth()
@Controller('v1')
export class LotFlagsController {
  constructor(private readonly flagged: FlaggedLotsService) {}

  /**
   * Flagged lots, the most recently flagged first, each with its flags (cause,
   * site, window, the EPCIS event that put it there) and its recall scope (the
   * lots and SKUs of its forward trace). A supplier key sees the lots flagged
   * at its own sites, without their recall scope.
   */
  @Get('trace/flagged')
  @Roles('admin', 'analyst', 'supplier')
  @ApiOkResponse({ type: FlaggedLotPage })
  @ApiBadRequestResponse({ description: 'a cursor this API did not issue, or a malformed parameter' })
  list(@Query() q: FlaggedLotQuery, @CurrentCaller() caller: Caller): Promise<FlaggedLotPage> {
    return this.flagged.list({ limit: q.limit, cursor: q.cursor, causeId: q.causeId }, caller);
  }

  /** The flagged lots feeding a SKU: those whose forward trace reaches a lot of the SKU's GTIN, with their flags. */
  @Get('exposures/:id/flagged-lots')
  @Roles('admin', 'analyst')
  @ApiOkResponse({ type: SkuFlaggedLots })
  @ApiNotFoundResponse({ description: 'no such SKU' })
  forSku(@Param() p: IdParam): Promise<SkuFlaggedLots> {
    return this.flagged.forSku(p.id);
  }
}
