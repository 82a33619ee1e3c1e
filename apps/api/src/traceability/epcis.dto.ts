import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { MAX_TRACE_DEPTH, type EventQueryParams, type TraceDirection } from '@tiersight/traceability';
import { PageQuery } from '../http/pagination.dto';
import { OptionalInteger } from '../http/property-rules';

/** Longest identifier a path or query parameter may carry (an eventID, an EPC, a location). */
const MAX_ID = 512;
/** Longest list parameter (comma-separated values). */
const MAX_LIST = 8192;

const listParam = (description: string) =>
  ApiPropertyOptional({ type: String, description: `${description}; several values comma-separated (any of them matches)` });

export class CaptureIdParam {
  @ApiProperty({ type: String, example: 'cap_9f2a1c0b3d4e5f6a7b8c9d0e' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'id must be a capture id (cap_…)' })
  id: string;
}

export class EventIdParam {
  @ApiProperty({ type: String, description: "the event's eventID, its event hash (`ni:///sha-256;…?ver=CBV2.0`, URL-encoded) or the hash's 64 hex digits" })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_ID)
  id: string;
}

export class LotParam {
  @ApiProperty({ type: String, description: 'the lot or item: an EPC URI (urn:epc:class:lgtin:…, urn:epc:id:sgtin:…) or a GS1 Digital Link, URL-encoded' })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_ID)
  lot: string;
}

/** EPCIS 2.0 SimpleEventQuery parameters (EPCIS 2.0 §8.2.7.1), paged with limit and cursor. */
export class EventQuery extends PageQuery implements EventQueryParams {
  @listParam('ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent or AssociationEvent')
  @IsOptional()
  @IsString()
  @MaxLength(MAX_LIST)
  eventType?: string;

  @ApiPropertyOptional({ type: String, description: 'events at or after this time (ISO 8601 with its offset)', example: '2024-01-01T00:00:00Z' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  GE_eventTime?: string;

  @ApiPropertyOptional({ type: String, description: 'events before this time (ISO 8601 with its offset)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  LT_eventTime?: string;

  @ApiPropertyOptional({ type: String, description: 'events recorded (captured) at or after this time' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  GE_recordTime?: string;

  @ApiPropertyOptional({ type: String, description: 'events recorded (captured) before this time' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  LT_recordTime?: string;

  @listParam('ADD, OBSERVE or DELETE')
  @IsOptional()
  @IsString()
  @MaxLength(MAX_LIST)
  EQ_action?: string;

  @listParam('business step: a CBV bare word (shipping), its Web URI, or a private URI')
  @IsOptional()
  @IsString()
  @MaxLength(MAX_LIST)
  EQ_bizStep?: string;

  @listParam('disposition: a CBV bare word (in_transit), its Web URI, or a private URI')
  @IsOptional()
  @IsString()
  @MaxLength(MAX_LIST)
  EQ_disposition?: string;

  @listParam('readPoint: SGLN as EPC URI or Digital Link (normalised before comparing)')
  @IsOptional()
  @IsString()
  @MaxLength(MAX_LIST)
  EQ_readPoint?: string;

  @listParam('bizLocation: SGLN as EPC URI or Digital Link (normalised before comparing)')
  @IsOptional()
  @IsString()
  @MaxLength(MAX_LIST)
  EQ_bizLocation?: string;

  @listParam('an instance in epcList or childEPCs (SGTIN, SSCC…; URN or Digital Link)')
  @IsOptional()
  @IsString()
  @MaxLength(MAX_LIST)
  MATCH_epc?: string;

  @listParam('an instance anywhere: epcList, childEPCs, parentID, inputEPCList, outputEPCList')
  @IsOptional()
  @IsString()
  @MaxLength(MAX_LIST)
  MATCH_anyEPC?: string;

  @listParam('a class (LGTIN, GTIN) in quantityList or childQuantityList')
  @IsOptional()
  @IsString()
  @MaxLength(MAX_LIST)
  MATCH_epcClass?: string;

  @listParam('a class anywhere: quantityList, childQuantityList, inputQuantityList, outputQuantityList')
  @IsOptional()
  @IsString()
  @MaxLength(MAX_LIST)
  MATCH_anyEPCClass?: string;

  @ApiPropertyOptional({ type: String, description: 'only the events a capture stored' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'captureId must be a capture id (cap_…)' })
  captureId?: string;
}

export class RecallScopeQuery {
  @OptionalInteger({ minimum: 1, maximum: MAX_TRACE_DEPTH, default: 10, description: 'transformation levels to follow' })
  depth = 10;
}

export class TraceQuery {
  @ApiPropertyOptional({
    enum: ['backward', 'forward'],
    default: 'backward',
    description: 'backward: what went into the lot; forward: what it went into (its recall scope)',
  })
  @IsOptional()
  @IsIn(['backward', 'forward'])
  direction: TraceDirection = 'backward';

  @OptionalInteger({ minimum: 1, maximum: MAX_TRACE_DEPTH, default: 10, description: 'transformation levels to follow' })
  depth = 10;
}
