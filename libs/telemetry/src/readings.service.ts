import { Inject, Injectable } from '@nestjs/common';
import type { TelemetryRecord } from '@tiersight/contracts';
import { DEFAULT_FORECAST_OPTIONS } from '@tiersight/forecast-engine';
import { DeadLetterInput, DeadLetters, QueueProducer } from '@tiersight/queues';
import { checkSilence, evaluateReadings, Evaluation, impactOf, Reading, replayReadings, SensorState, Transition } from './rule-engine';
import { RuleConfig, rulesFor, SensorRule } from './rules';
import { TELEMETRY_RULES } from './rules.config';
import { forecastImpactOf, forecastRules, stepForecasts } from './sensor-forecasts';
import { forecastEventId, SensorForecastImpact, SensorImpact, SensorImpactRepository, sensorEventId } from './sensor-impact.repository';
import { Sensor, SensorRepository } from './sensor.repository';
import { SensorCommit, SensorStateStore } from './sensor-state.store';

export interface ProcessContext {
  /** True when this job ran before (a retry, or taken up again after its worker died). */
  retry: boolean;
  /** Where the records came from, for dead letters. */
  source: string;
  requestId?: string;
}

export interface ProcessSummary {
  readings: number;
  sensors: number;
  deadLettered: number;
  transitions: number;
  changedEvents: number;
}

/** Sensor metadata is read once per job for the sensors not seen in the last few seconds. */
const SENSOR_CACHE_MS = 5000;
const MAX_COMMIT_TRIES = 20;
/** Readings a forecast is fitted on at most (the window a sensor keeps in Redis is TELEMETRY_WINDOW long anyway). */
const FORECAST_READINGS = 500;

/** One sensor's evaluation in a job, with the forecast rules whose impact moved. */
type SensorResult = Evaluation & { forecastsMoved: string[] };

/**
 * Readings → window and latest value in Redis, rule state moved atomically,
 * then the graph brought in line with the rule state. Safe to run twice:
 * the state skips readings it has seen, windows keep one copy of a reading,
 * and impacts are written from the state (never from "what changed") under
 * a revision guard.
 */
@Injectable()
export class ReadingsService {
  private readonly cache = new Map<string, { sensor: Sensor; at: number }>();

  constructor(
    @Inject(TELEMETRY_RULES) private readonly rules: RuleConfig,
    private readonly sensors: SensorRepository,
    private readonly impacts: SensorImpactRepository,
    private readonly states: SensorStateStore,
    private readonly deadLetters: DeadLetters,
    private readonly producer: QueueProducer,
  ) {}

  async process(records: TelemetryRecord[], ctx: ProcessContext): Promise<ProcessSummary> {
    const byName = new Map<string, TelemetryRecord[]>();
    for (const r of records) {
      const list = byName.get(r.n);
      if (list) list.push(r);
      else byName.set(r.n, [r]);
    }
    const known = await this.lookup([...byName.keys()]);
    const dead: DeadLetterInput[] = [];
    const readings = new Map<string, Reading[]>();
    let deadRecords = 0;
    for (const [name, list] of byName) {
      const sensor = known.get(name);
      if (!sensor) {
        deadRecords += list.length;
        dead.push(letter(ctx.source, name, `unknown sensor "${name}" (${list.length} reading(s)); register it with PUT /v1/sensors/{id}`, list[0]));
        continue;
      }
      const good: Reading[] = [];
      const bad: { record: TelemetryRecord; reason: string }[] = [];
      for (const r of list) {
        const v = r.v ?? r.s;
        if (v === undefined) bad.push({ record: r, reason: 'a sensor reading needs a numeric value (v or s)' });
        else if (r.u !== undefined && sensor.unit && r.u !== sensor.unit)
          bad.push({ record: r, reason: `unit "${r.u}" differs from the sensor's unit "${sensor.unit}"` });
        else good.push({ t: r.t, v });
      }
      if (bad.length) {
        deadRecords += bad.length;
        dead.push(letter(ctx.source, name, `${bad[0].reason} (${bad.length} reading(s))`, bad[0].record));
      }
      if (good.length) readings.set(name, good);
    }
    if (dead.length) await this.deadLetters.add(...dead);

    const results = await this.commitLoop([...readings.keys()], (id) => this.rulesOf(known.get(id)!), readings);
    const newest = [...readings.values()].map((list) => list.reduce((a, b) => (b.t > a.t ? b : a)));
    await this.sensors.updateLast([...readings.keys()].map((id, i) => ({ id, t: newest[i].t, v: newest[i].v })));
    const { transitions, changed } = await this.applyImpacts(results, known, ctx);
    return { readings: records.length - deadRecords, sensors: readings.size, deadLettered: deadRecords, transitions, changedEvents: changed };
  }

  /** The periodic no-reading check over every sensor whose metric has such a rule. */
  async checkSilence(nowSeconds: number, ctx: ProcessContext): Promise<ProcessSummary> {
    const all = (await this.sensors.all()).filter((s) => this.rulesOf(s).some((r) => r.kind === 'no-reading'));
    const known = new Map(all.map((s) => [s.id, s]));
    const nowRules = (id: string) => this.rulesOf(known.get(id)!);
    const results = await this.commitLoop([...known.keys()], nowRules, undefined, (id, state) =>
      checkSilence(state, nowRules(id), nowSeconds, Date.parse(known.get(id)!.registeredAt) / 1000),
    );
    const { transitions, changed } = await this.applyImpacts(results, known, ctx);
    return { readings: 0, sensors: all.length, deadLettered: 0, transitions, changedEvents: changed };
  }

  private rulesOf(sensor: Sensor): SensorRule[] {
    return rulesFor(this.rules, sensor.metric);
  }

  /**
   * Read, evaluate, compare-and-set; again from the top when another job moved
   * one of the sensors meanwhile. Readings newer than the sensor's state move
   * it forward; a sensor with older ones (an overtaken or retried job) is
   * replayed from a checkpoint through the readings kept since.
   */
  private async commitLoop(
    ids: string[],
    rulesOf: (id: string) => SensorRule[],
    readings?: Map<string, Reading[]>,
    evaluate?: (id: string, state: SensorState) => Evaluation,
  ) {
    const forecastSince = new Map<string, number>();
    for (const [id, list] of readings ?? []) {
      if (forecastRules(rulesOf(id)).length === 0) continue;
      forecastSince.set(id, list.reduce((max, r) => Math.max(max, r.t), -Infinity) - DEFAULT_FORECAST_OPTIONS.windowS);
    }
    for (let attempt = 1; ; attempt++) {
      const [current, windows] = await Promise.all([this.states.read(ids), this.states.windowsSince(forecastSince, FORECAST_READINGS)]);
      const late = new Map<string, number>();
      if (readings) {
        for (const id of ids) {
          const { lastT } = current.get(id)!.state;
          if (lastT === null) continue;
          const earliest = readings.get(id)!.reduce((min, r) => Math.min(min, r.t), Infinity);
          if (earliest <= lastT) late.set(id, earliest);
        }
      }
      const replays = await this.states.replayInputs(late);
      const results = new Map<string, SensorResult>();
      const commits: SensorCommit[] = ids.map((id) => {
        const { state, version } = current.get(id)!;
        const fresh = readings?.get(id) ?? [];
        const replay = replays.get(id);
        let evaluation: Evaluation;
        if (evaluate) evaluation = evaluate(id, state);
        else if (replay) evaluation = replayReadings(state, rulesOf(id), replay.checkpoint, replay.stored, fresh);
        else evaluation = evaluateReadings(state, rulesOf(id), fresh);
        // The forecasts step at the newest reading, on the window kept so far plus this job's readings.
        const window = windows.get(id);
        const forecasts = window ? stepForecasts(evaluation.state, rulesOf(id), [...window, ...fresh]) : { state: evaluation.state, changed: [] };
        evaluation = { ...evaluation, state: forecasts.state };
        results.set(id, { ...evaluation, forecastsMoved: forecasts.changed });
        return {
          sensorId: id,
          expectedVersion: version,
          state: evaluation.state,
          readings: fresh,
          ...(replay ? { replayedFrom: replay.checkpoint.lastT } : {}),
        };
      });
      // A check that moved nothing need not write.
      const needed = readings ? commits : commits.filter((c) => results.get(c.sensorId)!.transitions.length > 0);
      if (await this.states.commit(needed)) return results;
      if (attempt >= MAX_COMMIT_TRIES) throw new Error(`sensor state kept moving under ${MAX_COMMIT_TRIES} attempts; the job will be retried`);
      await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
    }
  }

  /**
   * Writes the impacts whose state moved in this job, and the forecasts that
   * moved; on a retry, every impact and forecast of the job's sensors (a first
   * attempt may have died between Redis and Neo4j). Asks for a propagation
   * when the graph changed, and always on a retry.
   */
  private async applyImpacts(results: Map<string, SensorResult>, known: Map<string, Sensor>, ctx: ProcessContext) {
    const items: SensorImpact[] = [];
    const forecasts: SensorForecastImpact[] = [];
    let transitions = 0;
    for (const [id, evaluation] of results) {
      const sensor = known.get(id)!;
      const where = { sensorId: id, siteId: sensor.siteId, metric: sensor.metric };
      transitions += evaluation.transitions.length;
      const moved = new Set(evaluation.transitions.map((t: Transition) => t.ruleId));
      for (const rule of this.rulesOf(sensor)) {
        if (!ctx.retry && !moved.has(rule.id)) continue;
        const impact = impactOf(rule, evaluation.state.rules[rule.id]);
        if (impact) items.push({ ...impact, ...where });
      }
      const forecastMoved = new Set(evaluation.forecastsMoved);
      for (const rule of forecastRules(this.rulesOf(sensor))) {
        if (!ctx.retry && !forecastMoved.has(rule.id)) continue;
        const forecast = forecastImpactOf(rule, evaluation.state.forecasts?.[rule.id]);
        if (forecast) forecasts.push({ ...forecast, ...where });
      }
    }
    const changed = (await this.impacts.reconcile(items)) + (await this.impacts.reconcileForecasts(forecasts));
    if (changed > 0 || (ctx.retry && items.length + forecasts.length > 0)) {
      const eventIds = [...items.map((i) => sensorEventId(i.sensorId, i.ruleId)), ...forecasts.map((f) => forecastEventId(f.sensorId, f.ruleId))];
      await this.producer.requestPropagation({ cause: 'sensor', eventIds, requestId: ctx.requestId });
      // The lots observed at the sensors' sites while a rule fired are flagged (DESIGN §11); forecasts flag nothing.
      if (items.length > 0)
        await this.producer.enqueue('lots.flag', {
          v: 1,
          by: 'events',
          eventIds: items.map((i) => sensorEventId(i.sensorId, i.ruleId)),
          requestId: ctx.requestId,
        });
    }
    return { transitions, changed };
  }

  private async lookup(names: string[]): Promise<Map<string, Sensor>> {
    const now = Date.now();
    const out = new Map<string, Sensor>();
    const missing: string[] = [];
    for (const name of names) {
      const hit = this.cache.get(name);
      if (hit && now - hit.at < SENSOR_CACHE_MS) out.set(name, hit.sensor);
      else missing.push(name);
    }
    for (const [id, sensor] of await this.sensors.findMany(missing)) {
      this.cache.set(id, { sensor, at: now });
      out.set(id, sensor);
    }
    return out;
  }
}

function letter(source: string, name: string, reason: string, record: TelemetryRecord): DeadLetterInput {
  return { kind: 'telemetry', source, itemRef: name, reason, excerpt: JSON.stringify(record) };
}
