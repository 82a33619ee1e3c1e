import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Roles } from '@tiersight/access';
import { TwinError, TwinErrorCode, TwinResults, TwinRunService, type TwinRunRecord, type TwinRunRequest } from '@tiersight/twin-runs';
import { toScenarioImpact } from '../scenarios/scenario-impacts';
import { CreateTwinRunDto, TwinCompareParam, TwinRunParam, TwinRunQuery } from './twin.dto';
import { TwinComparison, TwinDrawParameters, TwinRun, TwinRunAccepted } from './twin.responses.dto';
import { PageQuery } from '../../http/pagination.dto';

const BASE = '/v1/twin/runs';

/**
 * The twin (DESIGN §9): Monte Carlo runs over the risk engine on the live
 * state or a scenario. Small runs answer at once; larger ones are jobs whose
 * progress reads here. Logic lives in libs/twin-runs.
 */
@ApiTags('twin')
@ApiBearerAuth()
@ApiExtraModels(TwinDrawParameters)
@Roles('admin', 'analyst')
@Controller('v1/twin/runs')
export class TwinController {
  constructor(
    private readonly runs: TwinRunService,
    private readonly results: TwinResults,
  ) {}

  /** Starts a run: up to 100 samples answered at once (200, with results); more queued as a job (202). */
  @Post()
  @HttpCode(200)
  @ApiOkResponse({ type: TwinRun, description: 'a run of at most 100 samples, finished' })
  @ApiAcceptedResponse({ type: TwinRunAccepted, description: 'a larger run, queued; poll links.self' })
  async create(@Body() body: CreateTwinRunDto, @Req() req: Request & { id?: string }, @Res({ passthrough: true }) res: Response) {
    const run = await this.runs.create(toRequest(body), { requestId: req.id });
    if (run.status === 'succeeded') return this.view(run, { limit: 50, curves: true });
    res.status(202);
    return { id: run.id, status: run.status, progress: progressOf(run), links: linksOf(run.id) };
  }

  /** A run's status, progress, what it ran on and, once succeeded, its totals, drivers and a page of SKUs. */
  @Get(':id')
  @ApiOkResponse({ type: TwinRun })
  async one(@Param() p: TwinRunParam, @Query() q: TwinRunQuery) {
    return this.view(await this.runs.get(p.id), q);
  }

  /** Per-SKU and total deltas of another run against this one (other − this), and whether graph version, events or settings differ. */
  @Get(':id/compare/:other')
  @ApiOkResponse({ type: TwinComparison })
  async compare(@Param() p: TwinCompareParam, @Query() q: PageQuery) {
    const [run, other] = await Promise.all([this.runs.get(p.id), this.runs.get(p.other)]);
    return this.results.compare(run, other, q);
  }

  /** Cancels a run: a queued one at once, a running one at its next slice of samples. */
  @Delete(':id')
  @ApiOkResponse({ type: TwinRun })
  async cancel(@Param() p: TwinRunParam) {
    return this.view(await this.runs.cancel(p.id), { limit: 50, curves: true });
  }

  /** The same as DELETE. */
  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: TwinRun })
  async cancelByPost(@Param() p: TwinRunParam) {
    return this.cancel(p);
  }

  private async view(run: TwinRunRecord, q: TwinRunQuery) {
    const results = run.status === 'succeeded' && run.summary ? { ...run.summary, skus: withCurves(await this.results.skuPage(run, q), q.curves) } : null;
    return {
      id: run.id,
      status: run.status,
      progress: progressOf(run),
      links: linksOf(run.id),
      cancelRequested: run.cancelRequested,
      createdAt: run.createdAt,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      error: run.error,
      request: run.request,
      state: run.state,
      results,
    };
  }
}

/** The page as read, or without each SKU's daily curve. */
function withCurves<T extends { curve: unknown }>(page: { items: T[]; nextCursor: string | null }, curves: boolean) {
  return curves ? page : { ...page, items: page.items.map(({ curve: _curve, ...rest }) => rest) };
}

function progressOf(run: TwinRunRecord) {
  return { done: run.done, total: run.total, fraction: run.total > 0 ? run.done / run.total : 0 };
}

function linksOf(id: string) {
  return { self: `${BASE}/${id}`, cancel: `${BASE}/${id}/cancel`, compare: `${BASE}/${id}/compare/` };
}

/** The body as the twin library takes it; a malformed scenario impact is the twin's InvalidScenario. */
function toRequest(body: CreateTwinRunDto): TwinRunRequest {
  const { scenario, ...rest } = body;
  if (!scenario) return rest;
  const refuse = (message: string | string[]) => new TwinError(TwinErrorCode.InvalidScenario, Array.isArray(message) ? message.join('; ') : message);
  const impacts = scenario.impacts.map((raw, i) => toScenarioImpact(raw, i, 'scenario.impacts', refuse));
  return { ...rest, scenario: { impacts, threshold: scenario.threshold } };
}
