import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsNumber, IsObject, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { MAX_DAYS, MAX_ENTITY_ID_LENGTH } from '@tiersight/contracts';
import { stacked } from '../../http/property-rules';

/** An optional list of 1 to 10,000 ids. */
const IdList = () =>
  stacked(
    ApiPropertyOptional({ type: [String] }),
    IsOptional(),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(10_000),
    IsString({ each: true }),
    MaxLength(MAX_ENTITY_ID_LENGTH, { each: true }),
  );

/** An optional fraction, 0 to 1. */
const OptionalFraction = (options: ApiPropertyOptions) =>
  stacked(ApiPropertyOptional(options), IsOptional(), IsNumber({ allowNaN: false, allowInfinity: false }), Min(0), Max(1));

/** One hypothetical impact: exactly one of siteIds, supplierIds or geometry. */
export class ScenarioImpactDto {
  @IdList()
  siteIds?: string[];

  @IdList()
  supplierIds?: string[];

  @ApiPropertyOptional({ description: 'GeoJSON Point (with radiusKm), Polygon or MultiPolygon' })
  @IsOptional()
  @IsObject()
  geometry?: Record<string, unknown>;

  @ApiPropertyOptional()
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  radiusKm?: number;

  @OptionalFraction({ minimum: 0, maximum: 1, description: 'loss at the sites (siteIds / supplierIds)' })
  x?: number;

  @OptionalFraction({ minimum: 0, maximum: 1, description: 'loss inside the area (geometry)' })
  severity?: number;

  @ApiProperty({ minimum: 0 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(MAX_DAYS)
  days: number;
}

export class ScenarioDto {
  @ApiProperty({ type: [ScenarioImpactDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  impacts: ScenarioImpactDto[];

  @OptionalFraction({ minimum: 0, maximum: 1, default: 0.05 })
  threshold?: number;
}
