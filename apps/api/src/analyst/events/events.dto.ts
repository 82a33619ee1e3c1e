import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsISO31661Alpha2, IsISO8601, IsNumber, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { EVENT_STATUSES, EVENT_TYPES, type EventStatus, type EventType, MAX_DAYS } from '@tiersight/contracts';
import { PageQuery } from '../../http/pagination.dto';
import { OptionalEntityId } from '../../http/property-rules';

/** POST /v1/events (DESIGN §7.1): the buyer's own incidents and manual entries. */
export class CreateEventDto {
  @OptionalEntityId({ description: 'stable id; re-posting the same id updates the event in place' })
  id?: string;

  @ApiProperty({ enum: EVENT_TYPES })
  @IsIn(EVENT_TYPES)
  type: EventType;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  title: string;

  @ApiProperty({ minimum: 0, maximum: 1, description: 'fraction of output lost at a site inside the area' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  severity: number;

  @ApiProperty({ minimum: 0 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(MAX_DAYS)
  expectedDurationDays: number;

  @ApiProperty({ description: 'GeoJSON Point (with radiusKm), Polygon or MultiPolygon', example: { type: 'Point', coordinates: [120.67, 24.15] } })
  @IsObject()
  geometry: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'required with a Point geometry' })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  radiusKm?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO31661Alpha2()
  country?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({ strict: true })
  startsAt?: string;
}

export class EventListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: EVENT_STATUSES })
  @IsOptional()
  @IsIn(EVENT_STATUSES)
  status?: EventStatus;

  @ApiPropertyOptional({ description: 'only the events of this feed source (its configured id, `push` for pushed events, `telemetry` for sensor rules)' })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9._-]{0,63}$/, { message: 'source must be a feed source id' })
  source?: string;
}
