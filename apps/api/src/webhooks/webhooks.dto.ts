import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ALERT_TYPES, type AlertType, EVENT_TYPES, IsEntityId, MAX_ENTITY_ID_LENGTH } from '@tiersight/contracts';
import { PageQuery, StreamPageQuery } from '../http/pagination.dto';

export class WebhookFiltersDto {
  @ApiPropertyOptional({ description: 'only exposures with at least this revenue at risk', minimum: 0 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  minRevenueAtRisk?: number;

  @ApiPropertyOptional({ description: 'only exposures with at least this peak loss x', minimum: 0, maximum: 1 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  minX?: number;

  @ApiPropertyOptional({ type: [String], description: 'only these SKUs (or the categories below)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @IsString({ each: true })
  @MaxLength(MAX_ENTITY_ID_LENGTH, { each: true })
  @IsEntityId({ each: true })
  skuIds?: string[];

  @ApiPropertyOptional({ type: [String], description: 'only SKUs of these categories (or the SKU ids above)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @MaxLength(128, { each: true })
  categories?: string[];

  @ApiPropertyOptional({ enum: ALERT_TYPES, isArray: true, description: 'alert types to send (all when absent)' })
  @IsOptional()
  @IsArray()
  @IsIn(ALERT_TYPES, { each: true })
  alertTypes?: AlertType[];

  @ApiPropertyOptional({ enum: EVENT_TYPES, isArray: true, description: 'only exposures caused by events of these types' })
  @IsOptional()
  @IsArray()
  @IsIn(EVENT_TYPES, { each: true })
  eventTypes?: string[];

  @ApiPropertyOptional({ type: [String], description: 'only exposures whose critical path runs through these countries (site or supplier; ISO alpha-2)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(250)
  @Matches(/^[A-Z]{2}$/, { each: true, message: 'supplierCountries are ISO 3166-1 alpha-2 codes in upper case' })
  supplierCountries?: string[];
}

export class CreateWebhookDto {
  @ApiProperty({ description: 'https URL the alerts are POSTed to (http allowed outside production)', example: 'https://hooks.example.com/tiersight' })
  @IsString()
  @MaxLength(2048)
  url: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({ type: WebhookFiltersDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => WebhookFiltersDto)
  filters?: WebhookFiltersDto;

  @ApiPropertyOptional({ default: true, description: 'false creates it paused' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  url?: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(500)
  description?: string | null;

  @ApiPropertyOptional({ type: WebhookFiltersDto, description: 'replaces the filters as a whole' })
  @IsOptional()
  @ValidateNested()
  @Type(() => WebhookFiltersDto)
  filters?: WebhookFiltersDto;

  @ApiPropertyOptional({ description: 'false pauses the subscription, true resumes it (and clears an automatic pause)' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class WebhookIdParam {
  @Matches(/^wh_[A-Za-z0-9]{8,40}$/, { message: 'id must be a webhook subscription id (wh_…)' })
  id: string;
}

export class DeliveryIdParam {
  @Matches(/^msg_[a-z0-9]{8,40}$/, { message: 'id must be a delivery id (msg_…)' })
  id: string;
}

/** The subscriptions, paged by an opaque cursor. */
export class WebhookListQuery extends PageQuery {}

/** A subscription's delivery log, read from its Redis stream. */
export class DeliveryListQuery extends StreamPageQuery {
  @ApiPropertyOptional({ enum: ['pending', 'retrying', 'delivered', 'failed'] })
  @IsOptional()
  @IsIn(['pending', 'retrying', 'delivered', 'failed'])
  status?: 'pending' | 'retrying' | 'delivered' | 'failed';
}
