import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Roles } from '@tiersight/access';
import { Type } from 'class-transformer';
import { IsNumber, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { ExposureRepository } from '@tiersight/graph';
import { PageQuery } from '../../http/pagination.dto';
import { OptionalEntityId } from '../../http/property-rules';
import { IdParam } from '../supply-graph/supply-graph.dto';
import { SkuExposureDetail, SkuExposurePage } from './exposures.responses.dto';

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
}

@ApiTags('risk')
@ApiBearerAuth()
@Roles('admin', 'analyst')
@Controller('v1/exposures')
export class ExposuresController {
  constructor(private readonly exposures: ExposureRepository) {}

  /** Exposed SKUs by revenue at risk, with x, days, onset (time to survive) and the path that explains each. */
  @Get()
  @ApiOkResponse({ type: SkuExposurePage })
  list(@Query() q: ExposureQuery) {
    return this.exposures.list(q.limit, q.cursor, { category: q.category, eventId: q.eventId, minRevenueAtRisk: q.minRevenueAtRisk });
  }

  /** One SKU's exposure with its critical path, confidence and per-event attribution. */
  @Get(':id')
  @ApiOkResponse({ type: SkuExposureDetail })
  @ApiNotFoundResponse({ description: 'no such SKU, or the SKU is not exposed' })
  one(@Param() p: IdParam) {
    return this.exposures.one(p.id);
  }
}
