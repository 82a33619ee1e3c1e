import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsNumber, IsObject, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { MAX_DAYS, MAX_ENTITY_ID_LENGTH } from '@tiersight/contracts';

/** One hypothetical impact: exactly one of siteIds, supplierIds or geometry. */
export class ScenarioImpactDto {
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10_000)
  @IsString({ each: true })
  @MaxLength(MAX_ENTITY_ID_LENGTH, { each: true })
  siteIds?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10_000)
  @IsString({ each: true })
  @MaxLength(MAX_ENTITY_ID_LENGTH, { each: true })
  supplierIds?: string[];

  @ApiPropertyOptional({ description: 'GeoJSON Point (with radiusKm), Polygon or MultiPolygon' })
  @IsOptional()
  @IsObject()
  geometry?: Record<string, unknown>;

  @ApiPropertyOptional()
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  radiusKm?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1, description: 'loss at the sites (siteIds / supplierIds)' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  x?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1, description: 'loss inside the area (geometry)' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
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

  @ApiPropertyOptional({ minimum: 0, maximum: 1, default: 0.05 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  threshold?: number;
}
