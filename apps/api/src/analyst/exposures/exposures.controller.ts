import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiNotFoundResponse, ApiOkResponse, ApiPropertyOptional, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { Roles } from '@tiersight/access';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsNumber, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import type { Response } from 'express';
import { ExposureRepository } from '@tiersight/graph';
import { PageQuery } from '../../http/pagination.dto';
import { OptionalEntityId } from '../../http/property-rules';
import { IdParam } from '../supply-graph/supply-graph.dto';
import { ExposureReadCache } from './exposure-read-cache';
import { replyWith } from './json-answer';
import { SkuExposureDetail, SkuExposurePage, SkuOutlook, SkuOutlookPage } from './exposures.responses.dto';

export class ExposureQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(128)
  category?: string;

  @OptionalEntityId({ description: 'only SKUs this event contributes to' })
  eventId?: string;

  @ApiPropertyOptional({ minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  minRevenueAtRisk?: number;

  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description:
      'true: the SKUs with an outlook record (DESIGN §10), each with its observed exposure (null when none) and its outlook, by outlook revenue at risk; the other filters apply to the outlook',
  })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  outlook = false;
}

@ApiTags('risk')
@ApiBearerAuth()
@Roles('admin', 'analyst')
@Controller('v1/exposures')
@ApiExtraModels(SkuExposurePage, SkuOutlookPage)
export class ExposuresController {
  constructor(
    private readonly exposures: ExposureRepository,
    private readonly cache: ExposureReadCache,
  ) {}

  /** Exposed SKUs by revenue at risk, with x, days, onset (time to survive) and the path that explains each; with `outlook=true`, the SKUs with an outlook record. */
  @Get()
  @ApiOkResponse({
    description: 'SkuExposurePage, or SkuOutlookPage with outlook=true',
    schema: { oneOf: [{ $ref: getSchemaPath(SkuExposurePage) }, { $ref: getSchemaPath(SkuOutlookPage) }] },
  })
  async list(@Query() q: ExposureQuery, @Res({ passthrough: true }) res: Response) {
    const filter = { category: q.category, eventId: q.eventId, minRevenueAtRisk: q.minRevenueAtRisk };
    if (q.outlook) return this.exposures.listOutlooks(q.limit, q.cursor, filter);
    const key = `list:${JSON.stringify([q.limit, q.cursor ?? null, q.category ?? null, q.eventId ?? null, q.minRevenueAtRisk ?? null])}`;
    const held = await this.cache.read(
      key,
      () => this.exposures.list(q.limit, q.cursor, filter),
      (page) => page.items.length,
    );
    return replyWith(held, res);
  }

  /** One SKU's outlook (DESIGN §10): its numbers under observed plus anticipated impacts, its p, the events behind it with the forecast each stands on, and its observed exposure. */
  @Get(':id/outlook')
  @ApiOkResponse({ type: SkuOutlook })
  @ApiNotFoundResponse({ description: 'no such SKU, or anticipated impacts do not make it worse (no outlook)' })
  outlook(@Param() p: IdParam) {
    return this.exposures.outlookOf(p.id);
  }

  /** One SKU's exposure with its critical path, confidence and per-event attribution. */
  @Get(':id')
  @ApiOkResponse({ type: SkuExposureDetail })
  @ApiNotFoundResponse({ description: 'no such SKU, or the SKU is not exposed' })
  async one(@Param() p: IdParam, @Res({ passthrough: true }) res: Response) {
    const held = await this.cache.read(
      `sku:${p.id}`,
      () => this.exposures.one(p.id),
      () => 1,
    );
    return replyWith(held, res);
  }
}
