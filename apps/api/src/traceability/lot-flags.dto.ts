import { ApiProperty } from '@nestjs/swagger';
import { LOT_FLAG_CAUSE_KINDS, type LotFlagCauseKind } from '@tiersight/contracts';
import { PageQuery } from '../http/pagination.dto';
import { OptionalEntityId } from '../http/property-rules';
import { PageOf } from '../openapi/page.dto';
import { LotFields } from './epcis.responses.dto';

export class FlaggedLotQuery extends PageQuery {
  @OptionalEntityId({
    description: 'only the lots this cause flagged: an event id, a sensor excursion (`sensor:<sensor>:<rule>`) or `reading:<metric>:<rule>`',
  })
  causeId?: string;
}

export class FlaggedLotFacts extends LotFields {}

export class LotFlagCauseView {
  @ApiProperty({
    enum: LOT_FLAG_CAUSE_KINDS,
    description: 'event: a disruption event; sensor: a sensor excursion at the site; reading: the lot’s own readings broke a rule',
  })
  kind: LotFlagCauseKind;

  @ApiProperty({ type: String, description: 'the event id (event, sensor) or `reading:<metric>:<rule>`' })
  id: string;

  @ApiProperty({ type: String, nullable: true, description: 'the event type; `sensor` for excursions and readings' })
  eventType: string | null;

  @ApiProperty({ type: String, nullable: true })
  title: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'the site sensor (sensor) or the reading device (reading)' })
  sensorId: string | null;

  @ApiProperty({ type: String, nullable: true })
  ruleId: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'reading: the telemetry metric the readings were checked as' })
  metric: string | null;
}

export class LotFlagWindow {
  @ApiProperty({ type: String, description: 'start of the cause’s active window (included)' })
  from: string;

  @ApiProperty({ type: String, nullable: true, description: 'its end (excluded) as it stood when the lot was flagged; null while open' })
  to: string | null;
}

export class LotFlagView {
  @ApiProperty({ type: LotFlagCauseView })
  cause: LotFlagCauseView;

  @ApiProperty({ type: String, nullable: true, description: 'the site the lot was observed at (null for readings at a location no site claims)' })
  siteId: string | null;

  @ApiProperty({ type: LotFlagWindow })
  window: LotFlagWindow;

  @ApiProperty({ type: String, description: 'when the EPCIS event that put the lot inside the window happened' })
  observedAt: string;

  @ApiProperty({ type: String, description: 'that EPCIS event’s hash (GET /v1/epcis/events/{id})' })
  epcisEventHash: string;

  @ApiProperty({ type: String })
  flaggedAt: string;
}

export class RecallSku {
  @ApiProperty({ type: String })
  skuId: string;

  @ApiProperty({ type: String })
  name: string;

  @ApiProperty({ type: String })
  gtin: string;

  @ApiProperty({ type: [String], description: 'the lots of the recall scope that are units of this SKU' })
  lotIds: string[];
}

export class RecallScopeView {
  @ApiProperty({ type: [RecallSku], description: 'the SKUs (by GTIN) the flagged lot and the lots it went into are units of' })
  skus: RecallSku[];

  @ApiProperty({ type: [String], description: 'the lots it went into, nearest first (the first 200)' })
  lots: string[];

  @ApiProperty({ type: Number })
  lotCount: number;

  @ApiProperty({ type: Boolean, description: 'the forward trace stopped at its depth or size limit with more beyond' })
  truncated: boolean;
}

export class FlaggedLot {
  @ApiProperty({ type: FlaggedLotFacts })
  lot: FlaggedLotFacts;

  @ApiProperty({ type: [LotFlagView], description: 'one per cause, first flagged first' })
  flags: LotFlagView[];

  @ApiProperty({ type: RecallScopeView, nullable: true, description: 'the forward trace (the product affected); null for a supplier key' })
  recall: RecallScopeView | null;
}

export class FlaggedLotPage extends PageOf(FlaggedLot) {}

export class SkuFlaggedLot {
  @ApiProperty({ type: FlaggedLotFacts })
  lot: FlaggedLotFacts;

  @ApiProperty({ type: [LotFlagView] })
  flags: LotFlagView[];

  @ApiProperty({ type: Number, description: 'transformation levels from the flagged lot to the SKU’s lot (0: it is one)' })
  depth: number;

  @ApiProperty({ type: String, description: 'the nearest lot of the SKU’s GTIN it went into' })
  reaches: string;
}

export class SkuFlaggedLots {
  @ApiProperty({ type: String })
  skuId: string;

  @ApiProperty({ type: String, nullable: true, description: 'the SKU’s GTIN; without one no lot can be traced to it' })
  gtin: string | null;

  @ApiProperty({ type: [SkuFlaggedLot], description: 'the flagged lots whose forward trace reaches the SKU, most recently flagged first' })
  items: SkuFlaggedLot[];

  @ApiProperty({ type: Boolean, description: 'more than 1,000 flagged lots feed it' })
  truncated: boolean;
}
