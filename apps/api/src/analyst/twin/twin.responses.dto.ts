import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageOf } from '../../openapi/page.dto';

const STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];

/** Percentiles over the samples (P90: the smallest value at least 90 % of samples do not exceed) and the mean. */
export class TwinSummary {
  @ApiProperty() p10: number;
  @ApiProperty() p50: number;
  @ApiProperty() p90: number;
  @ApiProperty() mean: number;
}

/** Per day, percentiles of the supply ratio: the band and middle line of a fan chart. */
export class TwinSupplyRatioBand {
  @ApiProperty({
    type: [Number],
    description: 'day t: the supply ratio 10 % of samples fall to or below (the bad edge of the band); 1 − x in a sample short that day, 1 otherwise',
  })
  p10: number[];

  @ApiProperty({ type: [Number], description: 'day t: the median supply ratio over all samples' })
  p50: number[];

  @ApiProperty({ type: [Number], description: 'day t: the supply ratio 90 % of samples fall to or below' })
  p90: number[];
}

export class TwinDailyCurve {
  @ApiProperty({ type: [Number], description: 'day t (index, from today): share of samples in which the SKU is short that day' })
  short: number[];

  @ApiProperty({ type: [Number], description: 'day t: mean lost fraction x over all samples (0 where not short); rounded to 6 decimals' })
  lostFraction: number[];

  @ApiPropertyOptional({
    type: TwinSupplyRatioBand,
    description:
      'day t: P10, P50 and P90 of the supply ratio 1 − x over all samples (percentiles as elsewhere: the inverted empirical CDF); rounded to 6 decimals. Absent in runs stored before it was recorded: the mean supply ratio is then 1 − lostFraction',
  })
  supplyRatio?: TwinSupplyRatioBand;
}

/** One SKU's outlook over the samples. */
export class TwinSkuOutlook {
  @ApiProperty() skuId: string;

  @ApiProperty({ description: 'probability of exposure: share of samples in which x ≥ threshold and days > 0' })
  probability: number;

  @ApiProperty({ type: 'integer' }) exposedSamples: number;

  @ApiProperty({ type: TwinSummary, description: 'revenue at risk (dailyRevenue · x · days), 0 in samples where the SKU is not exposed' })
  revenueAtRisk: TwinSummary;

  @ApiProperty({ type: TwinSummary, description: 'days short, 0 where not exposed' })
  days: TwinSummary;

  @ApiProperty({ type: TwinSummary, description: 'onset (time to survive), over the exposed samples only' })
  onset: TwinSummary;

  @ApiPropertyOptional({ type: TwinDailyCurve, description: 'the daily curve over the horizon; left out when the query says `curves=false`' })
  curve?: TwinDailyCurve;
}

export class TwinSkuOutlookPage extends PageOf(TwinSkuOutlook) {}

export class TwinDriver {
  @ApiProperty({ description: 'an event id, or scenario-<n> for impact n of a scenario' }) id: string;
  @ApiProperty({ enum: ['event', 'scenario'] }) kind: string;
  @ApiProperty({ description: 'the event type, or site-down' }) type: string;
  @ApiProperty({ description: 'share of samples in which it was present' }) presence: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'drop in expected total revenue at risk when it is left out (one at a time, same draws), over the first contributionSamples samples',
  })
  contribution: number | null;
}

export class TwinResults {
  @ApiProperty({ type: TwinSummary, description: 'total revenue at risk over all SKUs, per sample' })
  total: TwinSummary;

  @ApiProperty({ type: [TwinDriver] }) drivers: TwinDriver[];
  @ApiProperty({ type: 'integer', description: 'SKUs with a non-zero probability of exposure (the others have none)' }) skuCount: number;
  @ApiProperty() exposureThreshold: number;
  @ApiProperty({ type: 'integer', description: 'the samples contributions were estimated on (at most the request’s, and samples ÷ events)' })
  contributionSamples: number;
  @ApiProperty({ type: 'integer', description: 'loops whose iteration cap was hit in a contribution solve (expected 0)' }) cappedComponents: number;
  @ApiProperty({ type: TwinSkuOutlookPage, description: 'by mean revenue at risk; `limit`, `cursor`, `skuId`, `minProbability`, `curves`' })
  skus: TwinSkuOutlookPage;
}

export class TwinProgress {
  @ApiProperty({ type: 'integer' }) done: number;
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ description: 'done / total' }) fraction: number;
}

export class TwinDrawParameters {
  @ApiProperty() sigma: number;
  @ApiProperty() kappa: number;
}

export class TwinRecovery {
  @ApiProperty({ description: 'multiple of ttr' }) low: number;
  @ApiProperty({ description: 'multiple of ttr' }) high: number;
}

export class TwinTimings {
  @ApiProperty() buildMs: number;
  @ApiProperty() runMs: number;
  @ApiProperty() storeMs: number;
  @ApiProperty() totalMs: number;
}

/** What a finished run ran on. */
export class TwinRunState {
  @ApiProperty({ type: 'integer' }) graphVersion: number;
  @ApiProperty({ type: [String], description: 'the events (or scenario impacts) drawn' }) eventIds: string[];
  @ApiProperty({ type: 'object', additionalProperties: { $ref: '#/components/schemas/TwinDrawParameters' }, description: 'effective per event type' })
  drawParameters: Record<string, TwinDrawParameters>;
  @ApiProperty({ type: TwinRecovery }) recovery: TwinRecovery;
  @ApiProperty({ type: 'integer', description: 'worker threads the samples were split over (1: in process)' }) threads: number;
  @ApiProperty({ type: TwinTimings }) timings: TwinTimings;
}

export class TwinRequestParameters {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) sigma: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) kappa: Record<string, number>;
  @ApiProperty() recoverySpread: number;
}

/** The request with its defaults filled in. */
export class TwinRequestEcho {
  @ApiProperty({ enum: ['live', 'scenario'] }) mode: string;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'the scenario impacts, as parsed' })
  scenario: Record<string, unknown> | null;
  @ApiProperty({ type: [String], nullable: true }) eventIds: string[] | null;
  @ApiProperty({ type: 'integer' }) samples: number;
  @ApiProperty({ type: 'integer' }) horizonDays: number;
  @ApiProperty({ type: 'integer' }) seed: number;
  @ApiProperty() threshold: number;
  @ApiProperty({ type: 'integer', description: 'at most this many samples get contributions (TWIN_CONTRIBUTION_SAMPLES; all of a run of up to 100)' })
  contributionSamples: number;
  @ApiProperty({ type: TwinRequestParameters }) parameters: TwinRequestParameters;
}

export class TwinRunLinks {
  @ApiProperty() self: string;
  @ApiProperty() cancel: string;
  @ApiProperty({ description: 'append the id of another run' }) compare: string;
}

/** A queued run (202). */
export class TwinRunAccepted {
  @ApiProperty() id: string;
  @ApiProperty({ enum: STATUSES }) status: string;
  @ApiProperty({ type: TwinProgress }) progress: TwinProgress;
  @ApiProperty({ type: TwinRunLinks }) links: TwinRunLinks;
}

/** A run: its status and progress, what it ran on and, once succeeded, its results. */
export class TwinRun extends TwinRunAccepted {
  @ApiProperty({ description: 'a cancel was asked for; a running run stops at its next slice' }) cancelRequested: boolean;
  @ApiProperty() createdAt: string;
  @ApiProperty({ type: String, nullable: true }) startedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) finishedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) error: string | null;
  @ApiProperty({ type: TwinRequestEcho }) request: TwinRequestEcho;
  @ApiPropertyOptional({ type: TwinRunState, nullable: true }) state: TwinRunState | null;
  @ApiPropertyOptional({ type: TwinResults, nullable: true }) results: TwinResults | null;
}

export class TwinDelta {
  @ApiProperty({ description: 'in this run' }) run: number;
  @ApiProperty({ description: 'in the other run' }) other: number;
  @ApiProperty({ description: 'other − run' }) delta: number;
}

export class TwinSkuDelta {
  @ApiProperty() skuId: string;
  @ApiProperty({ type: TwinDelta }) probability: TwinDelta;
  @ApiProperty({ type: TwinDelta }) revenueAtRiskP50: TwinDelta;
  @ApiProperty({ type: TwinDelta }) revenueAtRiskP90: TwinDelta;
  @ApiProperty({ type: TwinDelta }) revenueAtRiskMean: TwinDelta;
}

export class TwinSkuDeltaPage extends PageOf(TwinSkuDelta) {}

export class TwinDiffers {
  @ApiProperty() graphVersion: boolean;
  @ApiProperty() events: boolean;
  @ApiProperty() scenario: boolean;
  @ApiProperty() seed: boolean;
  @ApiProperty() samples: boolean;
  @ApiProperty() horizonDays: boolean;
  @ApiProperty() threshold: boolean;
  @ApiProperty() parameters: boolean;
}

export class TwinGraphVersions {
  @ApiProperty({ type: 'integer' }) run: number;
  @ApiProperty({ type: 'integer' }) other: number;
}

export class TwinEventDiff {
  @ApiProperty({ type: [String] }) onlyInRun: string[];
  @ApiProperty({ type: [String] }) onlyInOther: string[];
}

export class TwinTotalDelta {
  @ApiProperty({ type: TwinDelta }) mean: TwinDelta;
  @ApiProperty({ type: TwinDelta }) p10: TwinDelta;
  @ApiProperty({ type: TwinDelta }) p50: TwinDelta;
  @ApiProperty({ type: TwinDelta }) p90: TwinDelta;
}

/** Another run against this one: per SKU and total deltas (other − run), and what differs between them. */
export class TwinComparison {
  @ApiProperty() runId: string;
  @ApiProperty() otherId: string;
  @ApiProperty({ type: TwinDiffers }) differs: TwinDiffers;
  @ApiProperty({ type: TwinGraphVersions }) graphVersion: TwinGraphVersions;
  @ApiProperty({ type: TwinEventDiff }) events: TwinEventDiff;
  @ApiProperty({ type: TwinTotalDelta, description: 'total revenue at risk' }) total: TwinTotalDelta;
  @ApiProperty({ type: TwinSkuDeltaPage, description: "this run's SKUs in its order, then the other's SKUs this run does not list; `limit`, `cursor`" })
  skus: TwinSkuDeltaPage;
}
