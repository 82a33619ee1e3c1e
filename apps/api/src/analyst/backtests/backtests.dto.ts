import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { FEED_FORMATS, type FeedFormat } from '@tiersight/feed-formats';

/** The library checks the configured BACKTEST_MAX_DOCUMENTS; this only bounds what the validation pipe walks. */
const MAX_DOCUMENTS = 1000;
const INSTANT = { example: '2023-10-01T00:00:00Z', description: 'ISO 8601 instant (date and time)' };

/** A recorded feed document, read by the feed adapter of its format as a pulled feed is. */
export class BacktestDocumentDto {
  @ApiProperty({ enum: FEED_FORMATS, example: 'usgs-geojson' })
  @IsIn(FEED_FORMATS)
  format: FeedFormat;

  @ApiProperty({ description: 'the document as text (GeoJSON, RSS or CAP XML); at most the feed path’s limit for its format (413 beyond)' })
  @IsString()
  content: string;

  @ApiPropertyOptional({
    ...INSTANT,
    description: 'when the document was received: the start of items that state none, and when its close items take effect; default `from`',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  receivedAt?: string;

  @ApiPropertyOptional({ description: 'a label (file name) shown back', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;
}

/** A backtest: a range, and either the platform's event history or recorded feed documents. */
export class CreateBacktestDto {
  @ApiProperty(INSTANT)
  @IsString()
  @MaxLength(40)
  from: string;

  @ApiProperty({ ...INSTANT, example: '2023-10-31T00:00:00Z' })
  @IsString()
  @MaxLength(40)
  to: string;

  @ApiPropertyOptional({ enum: ['history'], description: 'replay the platform’s own stored events (give this or `documents`)' })
  @IsOptional()
  @IsIn(['history'])
  source?: 'history';

  @ApiPropertyOptional({ type: [BacktestDocumentDto], description: 'replay these feed documents (give this or `source`)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_DOCUMENTS)
  @ValidateNested({ each: true })
  @Type(() => BacktestDocumentDto)
  documents?: BacktestDocumentDto[];
}

export class BacktestParam {
  @ApiProperty({ example: 'bt_Xy3kLm0pQrSt' })
  @IsString()
  @MaxLength(64)
  @Matches(/^[A-Za-z0-9_.:-]+$/, { message: 'id holds letters, digits and _ . : - only' })
  id: string;
}
