import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type * as contracts from '@tiersight/contracts';
import { PageOf } from '../../openapi/page.dto';
import { SupplyTerms } from '../../openapi/supply-network.dto';

/** The supply edge into a hop of the critical path. */
export class PathVia extends SupplyTerms implements contracts.PathVia {}

/** One hop of the critical path (DESIGN §7.1), from the disrupted site to the SKU. */
export class PathHop implements contracts.PathHop {
  @ApiProperty({ type: String })
  nodeId: string;

  @ApiProperty({ type: Number, minimum: 0, maximum: 1, description: 'fraction of output lost at this node' })
  x: number;

  @ApiProperty({ type: Number })
  days: number;

  @ApiProperty({ type: Number, description: 'day the shortage reaches this node' })
  onsetDays: number;

  @ApiPropertyOptional({ type: PathVia, description: 'the edge into this node (absent on the first hop)' })
  via?: PathVia;
}

/** How much of the path rests on inferred or never-confirmed data. */
export class PathConfidence implements contracts.PathConfidence {
  @ApiProperty({ type: Number, description: 'edges on the path' })
  hops: number;

  @ApiProperty({ type: Number })
  inferredHops: number;

  @ApiProperty({ type: Number, minimum: 0, maximum: 1, description: 'inferredHops / hops (0 for a path without edges)' })
  inferredShare: number;

  @ApiProperty({ type: Number, description: 'edges with no confirmation date at all' })
  unconfirmedHops: number;

  @ApiProperty({ type: String, nullable: true, description: "oldest confirmation over the path's edges and sites (ISO 8601)" })
  oldestConfirmedAt: string | null;
}

/** How short a SKU runs: the peak loss, for how long, from when, and the revenue at risk (DESIGN §3.3). */
abstract class ShortageFigures {
  @ApiProperty({ type: Number, minimum: 0, maximum: 1, description: 'peak fraction of the SKU lost' })
  x: number;

  @ApiProperty({ type: Number, description: 'longest shortage (days)' })
  days: number;

  @ApiProperty({ type: Number, description: 'time to survive: days until the shortage reaches the SKU' })
  onsetDays: number;

  @ApiProperty({ type: Number, description: 'dailyRevenue · x · days' })
  revenueAtRisk: number;
}

/** A SKU short of supply (DESIGN §7.1): how much, for how long, from when, and the path that explains it. */
export class Exposure extends ShortageFigures implements contracts.Exposure {
  @ApiProperty({ type: String })
  skuId: string;

  @ApiProperty({ type: [String] })
  eventIds: string[];

  @ApiProperty({ type: [PathHop], description: 'from the hit site (first) to the SKU (last)' })
  criticalPath: PathHop[];

  @ApiProperty({ type: PathConfidence })
  confidence: PathConfidence;
}

/** A stored exposure with the SKU's name and category. */
export class SkuExposure extends Exposure {
  @ApiProperty({ type: String })
  name: string;

  @ApiProperty({ type: String, nullable: true })
  category: string | null;
}

/** What one event alone would do to the SKU. */
export class ExposureAttribution extends ShortageFigures {
  @ApiProperty({ type: String })
  eventId: string;

  @ApiProperty({ type: String, nullable: true })
  title: string | null;
}

/** An anticipated event behind an outlook, with its probability. */
export class AnticipatedEventRef implements contracts.AnticipatedEventRef {
  @ApiProperty({ type: String })
  eventId: string;

  @ApiProperty({ type: Number, exclusiveMinimum: true, minimum: 0, exclusiveMaximum: true, maximum: 1 })
  p: number;

  @ApiPropertyOptional({
    type: Object,
    description:
      "what the anticipation stands on, when the event records it: for a sensor forecast `{kind: 'sensor-trend', sensorId, metric, ruleId, condition, at, forecast: {value, lower, upper, horizonMinutes}, minutesToThreshold, trendPerHour, readings: {count, from, to}}`",
  })
  forecast?: unknown;
}

/** The outlook of a SKU (DESIGN §10): observed plus anticipated impacts, where that is worse than observed alone. */
export class ExposureOutlook extends ShortageFigures implements contracts.ExposureOutlook {
  @ApiProperty({ type: String })
  skuId: string;

  @ApiProperty({
    type: Number,
    exclusiveMinimum: true,
    minimum: 0,
    exclusiveMaximum: true,
    maximum: 1,
    description: 'the largest p among the anticipated events that alone make the SKU worse (joint: the product of the p of those that together do)',
  })
  p: number;

  @ApiProperty({ type: [AnticipatedEventRef], description: 'the anticipated events behind the outlook, the likeliest first' })
  events: AnticipatedEventRef[];

  @ApiProperty({ type: Boolean, description: 'true when no anticipated event alone makes the SKU worse, only several together' })
  joint: boolean;
}

export class SkuExposureDetail extends SkuExposure {
  @ApiProperty({ type: [ExposureAttribution], description: 'per event, the largest revenue at risk first' })
  attribution: ExposureAttribution[];

  @ApiProperty({ type: ExposureOutlook, nullable: true, description: 'the outlook when anticipated impacts make the SKU worse, else null' })
  outlook: ExposureOutlook | null;
}

export class SkuExposurePage extends PageOf(SkuExposure) {}

/** A SKU with an outlook record: its observed exposure (null when it has none) and its outlook. */
export class SkuOutlook {
  @ApiProperty({ type: String })
  skuId: string;

  @ApiProperty({ type: String })
  name: string;

  @ApiProperty({ type: String, nullable: true })
  category: string | null;

  @ApiProperty({ type: Exposure, nullable: true })
  observed: Exposure | null;

  @ApiProperty({ type: ExposureOutlook })
  outlook: ExposureOutlook;
}

export class SkuOutlookPage extends PageOf(SkuOutlook) {}
