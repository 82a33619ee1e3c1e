import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Caller, CurrentCaller, Roles } from '@tiersight/access';
import { EpcisEventsService } from '@tiersight/traceability';
import { PageQuery } from '../http/pagination.dto';
import { EventIdParam, EventQuery } from './epcis.dto';
import { EpcisEventView, EpcisQueryDocument, EventReceipt, UnmappedLocationPage } from './epcis.responses.dto';

@ApiTags('traceability')
@ApiBearerAuth()
@Controller('v1/epcis')
export class EpcisEventsController {
  constructor(private readonly events: EpcisEventsService) {}

  /**
   * EPCIS 2.0 SimpleEventQuery over the captured events, oldest first, as an
   * EPCISQueryDocument; a supplier key sees the events at its own sites only.
   * The next page's cursor is `tiersight:nextCursor` and a `Link: rel="next"` header.
   */
  @Get('events')
  @Roles('admin', 'analyst', 'supplier')
  @ApiOkResponse({ type: EpcisQueryDocument })
  async query(@Query() q: EventQuery, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) res: Response): Promise<EpcisQueryDocument> {
    const { limit, cursor, ...params } = q;
    const document = await this.events.query(params, limit, cursor, caller);
    const next = document['tiersight:nextCursor'];
    if (next !== null) {
      const search = new URLSearchParams(
        Object.entries({ ...params, limit: String(limit), cursor: next }).filter((e): e is [string, string] => typeof e[1] === 'string'),
      );
      res.setHeader('Link', `</v1/epcis/events?${search.toString()}>; rel="next"`);
    }
    return document;
  }

  /** One event by its eventID or its event hash, with its sites, lots and sensor readings. */
  @Get('events/:id')
  @Roles('admin', 'analyst', 'supplier')
  @ApiOkResponse({ type: EpcisEventView })
  event(@Param() p: EventIdParam, @CurrentCaller() caller: Caller): Promise<EpcisEventView> {
    return this.events.event(p.id, caller);
  }

  /** The event's Merkle inclusion proof to the root its capture recorded in the audit chain (verify offline: `npm run verify-receipt`). */
  @Get('events/:id/receipt')
  @Roles('admin', 'analyst', 'supplier')
  @ApiOkResponse({ type: EventReceipt })
  receipt(@Param() p: EventIdParam, @CurrentCaller() caller: Caller): Promise<EventReceipt> {
    return this.events.receipt(p.id, caller);
  }

  /** Locations events were captured at that no site claims by its GLN (give a site that `gln` to map them). */
  @Get('unmapped-locations')
  @Roles('admin')
  @ApiOkResponse({ type: UnmappedLocationPage })
  unmapped(@Query() q: PageQuery): Promise<UnmappedLocationPage> {
    return this.events.unmappedLocations(q.limit, q.cursor);
  }
}
