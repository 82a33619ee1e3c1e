import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@tiersight/access';
import type { Response } from 'express';
import { RiskReportsService } from '@tiersight/risk-runs';
import { OptionalInteger } from '../../http/property-rules';
import { ExposureReadCache } from '../exposures/exposure-read-cache';
import { replyWith } from '../exposures/json-answer';
import { DepthQuery } from '../supply-graph/supply-graph.dto';
import { RxiReport, SinglePointsOfFailure } from './risk-reports.responses.dto';

export class TopQuery {
  @OptionalInteger({ minimum: 1, maximum: 1000, default: 50 })
  limit = 50;
}

@ApiTags('risk')
@ApiBearerAuth()
@Roles('admin', 'analyst')
@Controller('v1/risk')
export class RiskReportsController {
  constructor(
    private readonly reports: RiskReportsService,
    private readonly answers: ExposureReadCache,
  ) {}

  /** Risk Exposure Index: each site lost alone for its time to recover; 1.0 is the worst site. Remembered per graph version, serialised once. */
  @Get('rxi')
  @ApiOkResponse({ type: RxiReport })
  async rxi(@Query() q: TopQuery, @Res({ passthrough: true }) res: Response) {
    const held = await this.answers.read(
      `rxi:${q.limit}`,
      () => this.reports.rxiSites(q.limit),
      (report) => report.sites.length,
    );
    return replyWith(held, res);
  }

  /** Sites whose loss alone takes some SKU to x = 1, hidden ones (tier ≥ 2 behind multi-sourcing) flagged. */
  @Get('spof')
  @ApiOkResponse({ type: SinglePointsOfFailure })
  spof(@Query() q: TopQuery) {
    return this.reports.spof(q.limit);
  }

  /** Inputs with one edge of share 1. */
  @Get('single-sources')
  singleSources(@Query() q: TopQuery) {
    return this.reports.singleSources(q.limit);
  }

  /** SKU revenue by country of the sites it depends on, per tier. */
  @Get('concentration')
  concentration() {
    return this.reports.concentration();
  }

  /** Share of each SKU's inputs mapped at tier 1, 2, 3, … and the visibility gaps. */
  @Get('coverage')
  coverage(@Query() q: DepthQuery) {
    return this.reports.coverage(q.depth);
  }
}
