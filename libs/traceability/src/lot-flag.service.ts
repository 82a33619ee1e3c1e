import { Inject, Injectable } from '@nestjs/common';
import type { LotFlag, LotFlagAlert, RecallScope } from '@tiersight/contracts';
import type { RuleConfig } from '@tiersight/telemetry';
import { causeWindows, readingFlags, windowFlags } from './lot-flags';
import { LotFlagRepository } from './lot-flag.repository';
import { TraceService } from './trace.service';

/** The telemetry rules in force (TELEMETRY_RULES, TELEMETRY_RULES_FILE or the defaults), which lots' own readings are checked against. */
export const LOT_FLAG_RULES = Symbol('LOT_FLAG_RULES');

/** Flags one alert round reads at most; the rest wait for the next round. */
const ALERT_ROUND = 500;

/** What one flagging job looks at: the lots a capture stored, or the lots observed at the sites of some events. */
export type FlagRequest = { by: 'capture'; captureId: string } | { by: 'events'; eventIds: string[] };

export interface FlagOutcome {
  /** Flags the causes give (stored before or not). */
  flags: number;
  /** Of which new. */
  created: number;
}

/**
 * The risk link, worker side (DESIGN §11): reads the causes and the lots they
 * reach, decides with the pure rules of lot-flags.ts, and stores one flag per
 * (lot, cause). It works both ways round: a capture's lots against the events
 * and excursions whose window covers them (and against the rules, with their
 * own readings), and an event's sites against the lots already captured there.
 */
@Injectable()
export class LotFlagService {
  constructor(
    private readonly flags: LotFlagRepository,
    private readonly traces: TraceService,
    @Inject(LOT_FLAG_RULES) private readonly rules: RuleConfig,
  ) {}

  async flag(request: FlagRequest, now = new Date()): Promise<FlagOutcome> {
    const found = request.by === 'capture' ? await this.forCapture(request.captureId, now) : await this.forEvents(request.eventIds, now);
    return { flags: found.length, created: await this.flags.write(found) };
  }

  /** The flags no alert went out for yet (oldest first, a round at a time), each with its lot and its recall scope. */
  async pendingAlerts(limit = ALERT_ROUND): Promise<LotFlagAlert[]> {
    const pending = await this.flags.unnotified(limit);
    const lotIds = [...new Set(pending.map((f) => f.lotId))];
    const lots = new Map((await this.flags.lots(lotIds)).map((l) => [l.lotId, l]));
    const scopes = new Map<string, RecallScope>();
    for (const lotId of lotIds) scopes.set(lotId, await this.traces.recall(lotId));
    return pending.map((flag) => ({
      flag,
      lot: lots.get(flag.lotId) ?? { lotId: flag.lotId, kind: 'other', gtin: null, lot: null, serial: null },
      recall: scopes.get(flag.lotId)!,
    }));
  }

  /** Records that the alerts of these flags are queued, so no later round sends them again. */
  markNotified(flags: readonly LotFlag[]): Promise<void> {
    return this.flags.markNotified(flags);
  }

  /** The lots the capture stored, at the sites of events covering their time; and those whose own readings break a rule. */
  private async forCapture(captureId: string, now: Date): Promise<LotFlag[]> {
    const observations = await this.flags.captureObservations(captureId);
    const found: LotFlag[] = [];
    if (observations.length > 0) {
      const first = observations.reduce((min, o) => Math.min(min, o.eventTimeMs), Infinity);
      const last = observations.reduce((max, o) => Math.max(max, o.eventTimeMs), -Infinity);
      const eventIds = await this.flags.eventsAtSites(
        observations.map((o) => o.siteId),
        first,
        last,
      );
      found.push(...windowFlags(causeWindows(await this.flags.causeEvents(eventIds)), observations, now));
    }
    const withReadings = await this.flags.captureLotsWithReadings(captureId);
    if (withReadings.length > 0) found.push(...readingFlags(await this.flags.lotReadings(withReadings), this.rules, now));
    return found;
  }

  /** The lots observed at the sites the events hit, inside their windows. */
  private async forEvents(eventIds: string[], now: Date): Promise<LotFlag[]> {
    const windows = causeWindows(await this.flags.causeEvents(eventIds));
    const observations = await this.flags.observedAt(windows.flatMap((w) => w.siteIds.map((siteId) => ({ siteId, fromMs: w.fromMs, toMs: w.toMs }))));
    return windowFlags(windows, observations, now);
  }
}
