import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO31661Alpha2,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { LIST_FIELDS } from '@tiersight/onboarding';
import { PageQuery } from '../../http/pagination.dto';

/** Decisions taken in one request; send more requests for more. */
const MAX_DECISIONS = 5000;

/** The multipart form of an upload (the OpenAPI schema; the file itself is read by the interceptor). */
export class UploadListForm {
  @ApiProperty({
    type: 'string',
    format: 'binary',
    description: 'the list: CSV (UTF-8, UTF-8 with BOM, UTF-16 with BOM or Windows-1252) or XLSX (first sheet)',
  })
  file: unknown;

  @ApiPropertyOptional({
    description: `JSON object from field (${LIST_FIELDS.join(', ')}) to the header of the column holding it; headers not named are mapped by their names in several languages`,
    example: '{"name": "Fabrik", "address": "Anschrift"}',
  })
  mapping?: string;
}

export class ListIdParam {
  @ApiProperty({ example: 'list_3Jq0aX1bPzQk' })
  @IsString()
  @Matches(/^list_[A-Za-z0-9_-]{1,40}$/, { message: 'id must be a list id (list_…)' })
  id: string;
}

export class ListRowsQuery extends PageQuery {}

export class RowDecisionDto {
  @ApiProperty({ type: 'integer', minimum: 2, description: 'the row as a spreadsheet numbers it (the header is row 1)' })
  @IsInt()
  @Min(2)
  @Max(10_000_000)
  row: number;

  @ApiProperty({
    enum: ['accept', 'edit', 'reject'],
    description: 'accept the row as placed; edit its coordinates (and country or name); reject: leave it out',
  })
  @IsIn(['accept', 'edit', 'reject'])
  action: 'accept' | 'edit' | 'reject';

  @ApiPropertyOptional({ minimum: -90, maximum: 90, description: 'edit only (required there)' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  lat?: number;

  @ApiPropertyOptional({ minimum: -180, maximum: 180, description: 'edit only (required there)' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  lon?: number;

  @ApiPropertyOptional({ description: 'edit only: ISO 3166-1 alpha-2, for a row whose country could not be read' })
  @IsOptional()
  @IsISO31661Alpha2()
  country?: string;

  @ApiPropertyOptional({ description: 'edit only: the facility name, for a row without one' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  name?: string;
}

export class PairDecisionDto {
  @ApiProperty({ example: 'd1', description: 'the id of a duplicate proposal of the review' })
  @IsString()
  @Matches(/^d\d{1,9}$/, { message: 'id must be a duplicate proposal id (d1, d2, …)' })
  id: string;

  @ApiProperty({ enum: ['confirm', 'reject'], description: 'confirm: one facility (one site); reject: two, and never proposed again' })
  @IsIn(['confirm', 'reject'])
  action: 'confirm' | 'reject';
}

export class DecisionsDto {
  @ApiPropertyOptional({ type: [RowDecisionDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_DECISIONS)
  @ValidateNested({ each: true })
  @Type(() => RowDecisionDto)
  rows?: RowDecisionDto[];

  @ApiPropertyOptional({ type: [PairDecisionDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_DECISIONS)
  @ValidateNested({ each: true })
  @Type(() => PairDecisionDto)
  pairs?: PairDecisionDto[];
}
