import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, Roles } from '@tiersight/access';
import type { Request } from 'express';
import { EventRepository } from '@tiersight/graph';
import { IdParam } from '../supply-graph/supply-graph.dto';
import { CreateEventDto, EventListQuery } from './events.dto';
import { DisruptionEvent, DisruptionEventPage } from './events.responses.dto';
import { EventsFlow } from './events.flow';

@ApiTags('events')
@ApiBearerAuth()
@Roles('admin', 'analyst')
@Controller('v1/events')
export class EventsController {
  constructor(
    private readonly flow: EventsFlow,
    private readonly events: EventRepository,
  ) {}

  /** Push a disruption; it is matched to the sites inside its area and propagated. */
  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: DisruptionEvent })
  create(@Body() body: CreateEventDto, @Req() req: Request & { id?: string }, @CurrentCaller() caller: Caller) {
    return this.flow.push(body, typeof req.id === 'string' ? req.id : undefined, caller);
  }

  @Get()
  @ApiOkResponse({ type: DisruptionEventPage })
  list(@Query() q: EventListQuery) {
    return this.events.list(q.limit, q.cursor, q.status, q.source);
  }

  /** One event with its status and the sites it hits. */
  @Get(':id')
  @ApiOkResponse({ type: DisruptionEvent })
  get(@Param() p: IdParam) {
    return this.events.get(p.id);
  }

  /** Close an event: its impacts leave the propagation. */
  @Post(':id/close')
  @HttpCode(200)
  @ApiOkResponse({ type: DisruptionEvent })
  async close(@Param() p: IdParam, @Req() req: Request & { id?: string }, @CurrentCaller() caller: Caller) {
    return this.flow.close(p.id, typeof req.id === 'string' ? req.id : undefined, caller);
  }
}
