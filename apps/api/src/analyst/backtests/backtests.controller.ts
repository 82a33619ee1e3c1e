import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Roles } from '@tiersight/access';
import { activeSubscriptions, type BacktestRecord, BacktestRuns } from '@tiersight/backtests';
import { SubscriptionsService } from '@tiersight/webhooks';
import { BacktestParam, CreateBacktestDto } from './backtests.dto';
import { Backtest, BacktestAccepted } from './backtests.responses.dto';

const BASE = '/v1/backtests';

/**
 * Backtests (DESIGN §10): past events — the platform's own history or
 * recorded feed documents — replayed in the order of their own times against
 * today's network and subscriptions, as a job with progress. A backtest
 * writes no exposure and sends no alert. Logic lives in libs/backtests.
 */
@ApiTags('backtests')
@ApiBearerAuth()
@Roles('admin', 'analyst')
@Controller('v1/backtests')
export class BacktestsController {
  constructor(
    private readonly backtests: BacktestRuns,
    private readonly subscriptions: SubscriptionsService,
  ) {}

  /** Queues a backtest over the active subscriptions of this moment; uploaded documents are read now (what cannot be read is listed). */
  @Post()
  @HttpCode(202)
  @ApiAcceptedResponse({ type: BacktestAccepted, description: 'queued; poll links.self' })
  async create(@Body() body: CreateBacktestDto, @Req() req: Request & { id?: string }) {
    const run = await this.backtests.create(body, await activeSubscriptions(this.subscriptions), { requestId: req.id });
    return accepted(run);
  }

  /** A backtest's status and progress, what it ran on and, once succeeded, its report. */
  @Get(':id')
  @ApiOkResponse({ type: Backtest })
  async one(@Param() p: BacktestParam) {
    const run = await this.backtests.get(p.id);
    const report = run.status === 'succeeded' ? await this.backtests.report(run.id) : null;
    return {
      ...accepted(run),
      createdAt: run.createdAt,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      error: run.error,
      request: run.request,
      subscriptions: run.subscriptions,
      state: run.state,
      report,
    };
  }
}

function accepted(run: BacktestRecord) {
  const finished = run.status === 'succeeded';
  return {
    id: run.id,
    status: run.status,
    progress: { phase: run.phase, done: run.done, total: run.total, fraction: finished ? 1 : run.total > 0 ? run.done / run.total : 0 },
    links: { self: `${BASE}/${run.id}` },
    inputs: { events: run.state?.eventVersions ?? run.eventVersions, rejected: run.rejected, skipped: run.skipped },
  };
}
