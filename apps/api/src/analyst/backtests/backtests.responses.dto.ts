import { ApiProperty } from '@nestjs/swagger';
import { ALERT_TYPES } from '@tiersight/contracts';
import { FEED_FORMATS } from '@tiersight/feed-formats';

const STATUSES = ['queued', 'running', 'succeeded', 'failed'];
const PHASES = ['queued', 'loading', 'replaying', 'done'];
const LEAD = 'days from the alert to when the shortage reaches the SKU (its onset); negative: the alert came after';

export class BacktestProgress {
  @ApiProperty({ enum: PHASES, description: 'loading: reading the network and events; replaying: instant by instant' }) phase: string;
  @ApiProperty({ type: 'integer', description: 'instants replayed' }) done: number;
  @ApiProperty({ type: 'integer', description: 'instants to replay (0 until the replay starts)' }) total: number;
  @ApiProperty({ description: 'done / total (1 once succeeded)' }) fraction: number;
}

export class BacktestLinks {
  @ApiProperty({ example: '/v1/backtests/bt_Xy3kLm0pQrSt' }) self: string;
}

export class BacktestRejectedItem {
  @ApiProperty({ type: 'integer', description: 'index of the document in the request' }) document: number;
  @ApiProperty({ type: String, nullable: true, description: 'the item’s own reference (feature id, guid…); null for the whole document' }) itemRef:
    string | null;
  @ApiProperty({ description: 'the feed adapter’s reason' }) reason: string;
}

export class BacktestInputs {
  @ApiProperty({ type: 'integer', description: 'event versions read from the documents (0 for history: read by the worker)' }) events: number;
  @ApiProperty({ type: [BacktestRejectedItem], description: 'items (or documents) the adapter could not read: not replayed' }) rejected: BacktestRejectedItem[];
  @ApiProperty({ type: [BacktestRejectedItem], description: 'items the severity policy leaves out, as the feed path does' }) skipped: BacktestRejectedItem[];
}

export class BacktestAccepted {
  @ApiProperty() id: string;
  @ApiProperty({ enum: STATUSES }) status: string;
  @ApiProperty({ type: BacktestProgress }) progress: BacktestProgress;
  @ApiProperty({ type: BacktestLinks }) links: BacktestLinks;
  @ApiProperty({ type: BacktestInputs }) inputs: BacktestInputs;
}

export class BacktestDocumentEcho {
  @ApiProperty({ enum: FEED_FORMATS }) format: string;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ type: 'integer' }) bytes: number;
  @ApiProperty({ type: String, nullable: true }) receivedAt: string | null;
}

export class BacktestRequestEcho {
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ enum: ['history', 'documents'] }) source: string;
  @ApiProperty({ type: [BacktestDocumentEcho] }) documents: BacktestDocumentEcho[];
}

export class BacktestSubscriptionEcho {
  @ApiProperty() id: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'its filters, as the live fan-out applies them' }) filters: Record<string, unknown>;
}

export class BacktestTimings {
  @ApiProperty() loadMs: number;
  @ApiProperty() replayMs: number;
}

export class BacktestStateView {
  @ApiProperty({ type: 'integer', description: 'the graph version of today’s network the events were replayed against' }) graphVersion: number;
  @ApiProperty({ type: 'integer' }) sites: number;
  @ApiProperty({ type: 'integer' }) skus: number;
  @ApiProperty({ type: 'integer' }) eventVersions: number;
  @ApiProperty({ type: BacktestTimings }) timings: BacktestTimings;
}

/** Alerts per type (every type listed, zeros included). */
export class AlertTypeCounts {
  @ApiProperty({ type: 'integer', name: 'exposure.created' }) 'exposure.created': number;
  @ApiProperty({ type: 'integer', name: 'exposure.worsened' }) 'exposure.worsened': number;
  @ApiProperty({ type: 'integer', name: 'exposure.improved' }) 'exposure.improved': number;
  @ApiProperty({ type: 'integer', name: 'exposure.resolved' }) 'exposure.resolved': number;
  @ApiProperty({ type: 'integer', name: 'exposure.anticipated' }) 'exposure.anticipated': number;
  @ApiProperty({ type: 'integer', name: 'exposure.anticipation_cleared' }) 'exposure.anticipation_cleared': number;
  @ApiProperty({ type: 'integer', name: 'lot.flagged', description: 'always 0: a backtest replays events against exposures, not lots' }) 'lot.flagged': number;
}

export class LeadStatsView {
  @ApiProperty({ type: Number, nullable: true }) mean: number | null;
  @ApiProperty({ type: Number, nullable: true }) median: number | null;
  @ApiProperty({ type: Number, nullable: true }) min: number | null;
  @ApiProperty({ type: Number, nullable: true }) max: number | null;
}

export class ModeTotalsView {
  @ApiProperty({ type: 'integer' }) alerts: number;
  @ApiProperty({ type: AlertTypeCounts }) byType: AlertTypeCounts;
  @ApiProperty({ type: 'integer', description: 'SKUs with at least one alert' }) skusAlerted: number;
  @ApiProperty({ type: 'integer', description: 'observed shortages in the replay (the same in both modes)' }) shortages: number;
  @ApiProperty({ type: 'integer', description: 'shortages some subscription was warned of (created, worsened or anticipated)' }) shortagesWarned: number;
  @ApiProperty({ type: 'integer', description: '… whose first warning came before the shortage reached the SKU' }) shortagesWarnedAhead: number;
  @ApiProperty({ type: LeadStatsView, description: `over the warned shortages, the first warning's lead: ${LEAD}` }) leadDays: LeadStatsView;
}

export class BacktestTotals {
  @ApiProperty({ type: ModeTotalsView, description: 'anticipation off: the exposure alerts only' }) off: ModeTotalsView;
  @ApiProperty({ type: ModeTotalsView, description: 'anticipation on: the exposure alerts and the outlook alerts' }) on: ModeTotalsView;
}

export class BacktestDayView {
  @ApiProperty({ example: '2023-10-07', description: 'UTC day' }) day: string;
  @ApiProperty({ type: 'integer', description: 'alerts that day, anticipation off' }) off: number;
  @ApiProperty({ type: 'integer', description: 'alerts that day, anticipation on' }) on: number;
}

export class SkuModeView {
  @ApiProperty({ type: 'integer' }) alerts: number;
  @ApiProperty({ type: String, nullable: true }) firstAlertAt: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the first warning of the SKU’s first shortage' }) warnedAt: string | null;
  @ApiProperty({ type: Number, nullable: true, description: LEAD }) leadDays: number | null;
}

export class BacktestSkuRowView {
  @ApiProperty() skuId: string;
  @ApiProperty({ type: 'integer' }) shortages: number;
  @ApiProperty({ type: String, nullable: true, description: 'when the SKU’s first shortage reached it' }) firstShortageAt: string | null;
  @ApiProperty({ type: SkuModeView }) off: SkuModeView;
  @ApiProperty({ type: SkuModeView }) on: SkuModeView;
  @ApiProperty({ type: Number, nullable: true, description: 'on − off lead of the first shortage: how much earlier anticipation warned' }) gainDays:
    number | null;
}

export class SubscriptionModeView {
  @ApiProperty({ type: 'integer' }) alerts: number;
  @ApiProperty({ type: AlertTypeCounts }) byType: AlertTypeCounts;
  @ApiProperty({ type: 'integer' }) shortagesWarned: number;
  @ApiProperty({ type: LeadStatsView }) leadDays: LeadStatsView;
}

export class BacktestSubscriptionRowView {
  @ApiProperty() subscriptionId: string;
  @ApiProperty({ type: SubscriptionModeView }) off: SubscriptionModeView;
  @ApiProperty({ type: SubscriptionModeView }) on: SubscriptionModeView;
}

export class ShortageWarningView {
  @ApiProperty({ type: String, nullable: true }) warnedAt: string | null;
  @ApiProperty({ type: Number, nullable: true, description: LEAD }) leadDays: number | null;
}

export class BacktestShortageView {
  @ApiProperty() skuId: string;
  @ApiProperty({ description: 'when the SKU’s observed exposure appeared' }) startedAt: string;
  @ApiProperty({ description: 'when the shortage reaches the SKU: the earliest instant + onsetDays while it lasts' }) reachesAt: string;
  @ApiProperty({ type: String, nullable: true, description: 'when the exposure resolved; null: still open at `to`' }) endedAt: string | null;
  @ApiProperty({ type: [String] }) eventIds: string[];
  @ApiProperty({ type: ShortageWarningView }) off: ShortageWarningView;
  @ApiProperty({ type: ShortageWarningView }) on: ShortageWarningView;
}

export class BacktestAlertView {
  @ApiProperty() at: string;
  @ApiProperty({ enum: ALERT_TYPES }) type: string;
  @ApiProperty({ enum: ['observed', 'anticipated'], description: 'observed: sent with anticipation on and off; anticipated (outlook alerts): only on' })
  basis: string;
  @ApiProperty() subscriptionId: string;
  @ApiProperty() skuId: string;
  @ApiProperty() x: number;
  @ApiProperty() days: number;
  @ApiProperty() onsetDays: number;
  @ApiProperty() revenueAtRisk: number;
  @ApiProperty({ type: Number, nullable: true, description: 'an outlook alert’s probability' }) p: number | null;
  @ApiProperty({ type: [String] }) eventIds: string[];
  @ApiProperty({ type: String, nullable: true, description: 'a warning’s shortage: when it reaches the SKU' }) reachesAt: string | null;
  @ApiProperty({ type: Number, nullable: true, description: LEAD }) leadDays: number | null;
  @ApiProperty({ type: String, nullable: true, enum: ['realized', 'cleared', 'pending'], description: 'an exposure.anticipated alert: what became of it' })
  outcome: string | null;
}

export class BacktestEventView {
  @ApiProperty() id: string;
  @ApiProperty() type: string;
  @ApiProperty() title: string;
  @ApiProperty() startsAt: string;
  @ApiProperty({ type: String, nullable: true }) endsAt: string | null;
  @ApiProperty({ type: 'integer', description: 'today’s sites inside its area' }) sites: number;
  @ApiProperty({ type: 'integer', description: 'today’s sites it anticipates (forecast cone or areas, sensor forecasts)' }) anticipatedSites: number;
}

export class BacktestReportView {
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ type: 'integer', description: 'times at which the set of active events changed: one risk run each' }) instants: number;
  @ApiProperty({ type: [String] }) subscriptions: string[];
  @ApiProperty({ type: [BacktestEventView] }) events: BacktestEventView[];
  @ApiProperty({ type: BacktestTotals }) totals: BacktestTotals;
  @ApiProperty({ type: [BacktestDayView], description: 'every UTC day of the range' }) days: BacktestDayView[];
  @ApiProperty({ type: [BacktestSkuRowView] }) skus: BacktestSkuRowView[];
  @ApiProperty({ type: [BacktestSubscriptionRowView] }) bySubscription: BacktestSubscriptionRowView[];
  @ApiProperty({ type: [BacktestShortageView] }) shortages: BacktestShortageView[];
  @ApiProperty({ type: [BacktestAlertView], description: 'every alert, in time order' }) alerts: BacktestAlertView[];
}

/** A backtest: its status and progress, what it ran on and, once succeeded, its report. */
export class Backtest extends BacktestAccepted {
  @ApiProperty() createdAt: string;
  @ApiProperty({ type: String, nullable: true }) startedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) finishedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) error: string | null;
  @ApiProperty({ type: BacktestRequestEcho }) request: BacktestRequestEcho;
  @ApiProperty({ type: [BacktestSubscriptionEcho], description: 'the active subscriptions when the backtest was asked for' })
  subscriptions: BacktestSubscriptionEcho[];
  @ApiProperty({ type: BacktestStateView, nullable: true }) state: BacktestStateView | null;
  @ApiProperty({ type: BacktestReportView, nullable: true }) report: BacktestReportView | null;
}
