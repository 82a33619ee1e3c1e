import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { IsEntityId, MAX_ENTITY_ID_LENGTH } from '@tiersight/contracts';
import { PageQuery } from '../../http/pagination.dto';
import { ScenarioDto } from '../scenarios/scenarios.dto';

const MAX_TYPE_LENGTH = 64;
const MAX_TYPES = 100;
/** The engine's own bound; the configured TWIN_MAX_SAMPLES / TWIN_MAX_HORIZON_DAYS are checked by the twin library. */
const MAX_HORIZON_DAYS = 3650;
const MAX_SAMPLES = 1_000_000;

/** An object from event type (or "*") to a finite number ≥ 0. */
function IsTypeTable() {
  return ValidateBy({
    name: 'isTypeTable',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.keys(value).length <= MAX_TYPES &&
        Object.entries(value).every(([type, v]) => type.length > 0 && type.length <= MAX_TYPE_LENGTH && typeof v === 'number' && Number.isFinite(v) && v >= 0),
      defaultMessage: (args) => `${args?.property} must map event types (or "*") to numbers >= 0`,
    },
  });
}

const typeTable = (what: string) =>
  ({
    type: 'object',
    additionalProperties: { type: 'number', minimum: 0 },
    description: `${what} per event type; "*" stands for every type; the configuration fills the types left out`,
    example: { earthquake: 0.7, '*': 0.5 },
  }) as const;

export class TwinParametersDto {
  @ApiPropertyOptional(typeTable('lognormal σ of event durations (0: exact)'))
  @IsOptional()
  @IsTypeTable()
  sigma?: Record<string, number>;

  @ApiPropertyOptional(typeTable('Beta concentration κ of event severities (0: exact)'))
  @IsOptional()
  @IsTypeTable()
  kappa?: Record<string, number>;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 100,
    description:
      'a site or supplier down recovers in Triangular(ttr/(1+s), ttr, (1+s)·ttr); 1 (default, TWIN_RECOVERY_SPREAD) is (0.5·ttr, ttr, 2·ttr), 0 exact',
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  recoverySpread?: number;
}

/** A twin run: the live state (or some of its active events) or a scenario, sampled. */
export class CreateTwinRunDto {
  @ApiPropertyOptional({
    type: ScenarioDto,
    description:
      'the body of POST /v1/scenarios; without it the run is on the live state. Sites or suppliers down (x = 1) recover in a triangular time around each site’s ttrDays (their `days` is not used); partial losses and areas are drawn like events of type "scenario"',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => ScenarioDto)
  scenario?: ScenarioDto;

  @ApiPropertyOptional({ type: [String], description: 'live state only: run these active events instead of all' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @MaxLength(MAX_ENTITY_ID_LENGTH, { each: true })
  @IsEntityId({ each: true })
  eventIds?: string[];

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    default: 1000,
    description: 'at most TWIN_MAX_SAMPLES; up to 100 are answered at once (200), more become a job (202)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_SAMPLES)
  samples?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, default: 180, description: 'days of the daily curve, at most TWIN_MAX_HORIZON_DAYS' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_HORIZON_DAYS)
  horizonDays?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 4294967295,
    description: 'the same request and seed give the same results; random (and recorded) when absent',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(4294967295)
  seed?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1, default: 0.05, description: 'exposure threshold on x (DESIGN §3.3)' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  threshold?: number;

  @ApiPropertyOptional({ type: TwinParametersDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => TwinParametersDto)
  parameters?: TwinParametersDto;
}

export class TwinRunQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'only this SKU' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_ENTITY_ID_LENGTH)
  skuId?: string;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 1,
    description: 'only SKUs at least this likely to be exposed (a page may then hold fewer than `limit`: follow nextCursor)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  minProbability?: number;

  @ApiPropertyOptional({
    type: Boolean,
    default: true,
    description: 'false leaves out each SKU’s daily curve (a summary table needs none: a page of 500 is then far smaller)',
  })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  curves = true;
}

export class TwinRunParam {
  @ApiProperty()
  @IsString()
  @MaxLength(64)
  id: string;
}

export class TwinCompareParam extends TwinRunParam {
  @ApiProperty()
  @IsString()
  @MaxLength(64)
  other: string;
}
