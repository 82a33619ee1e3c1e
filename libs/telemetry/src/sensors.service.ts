import { Inject, Injectable } from '@nestjs/common';
import { AuditActor, AuditLog } from '@tiersight/audit';
import { impactOf, isoOfSeconds as iso } from './rule-engine';
import { RuleConfig, rulesFor } from './rules';
import { TELEMETRY_RULES } from './rules.config';
import { forecastRules } from './sensor-forecasts';
import { forecastEventId, sensorEventId } from './sensor-impact.repository';
import { SensorRepository, SensorView } from './sensor.repository';
import { SensorStateStore } from './sensor-state.store';

export interface SensorDetail extends SensorView {
  recent: Array<{ t: string; v: number }>;
  rules: Array<{
    id: string;
    kind: string;
    firing: boolean;
    eventId: string;
    raisedAt: string | null;
    clearedAt: string | null;
    forecast: RuleForecast | null;
  }>;
}

/** A threshold rule's forecast (DESIGN §10): whether its impact is anticipated now, with what p, and how the last anticipation ended. */
export interface RuleForecast {
  eventId: string;
  anticipated: boolean;
  p: number | null;
  raisedAt: string | null;
  endedAt: string | null;
  endedBy: 'observed' | 'no-crossing' | 'no-forecast' | null;
}

/** Registration and the read side of sensors. */
@Injectable()
export class SensorsService {
  constructor(
    @Inject(TELEMETRY_RULES) private readonly rules: RuleConfig,
    private readonly sensors: SensorRepository,
    private readonly states: SensorStateStore,
    private readonly audit: AuditLog,
  ) {}

  /** Registers the sensor with its audit entry, in one transaction; null when the site does not exist (nothing written). */
  async register(actor: AuditActor, id: string, body: { siteId: string; metric: string; unit?: string | null }): Promise<SensorView | null> {
    const sensor = { id, siteId: body.siteId, metric: body.metric, unit: body.unit ?? null };
    const registered = await this.sensors.write(async (tx) => {
      if (!(await this.sensors.upsert(tx, sensor))) return false;
      const { siteId, metric, unit } = sensor;
      await this.audit.append(tx, actor, { action: 'sensor.register', target: id, change: { siteId, metric, unit } });
      return true;
    });
    return registered ? this.sensors.get(id) : null;
  }

  /** The sensor with its latest value (Redis is fresher than the graph) and its recent window, newest first. */
  async get(id: string, recentLimit: number): Promise<SensorDetail | null> {
    const sensor = await this.sensors.get(id);
    if (!sensor) return null;
    const [latest, recent, states] = await Promise.all([this.states.latest(id), this.states.recent(id, recentLimit), this.states.read([id])]);
    const state = states.get(id)!.state;
    return {
      ...sensor,
      lastValue: latest?.v ?? sensor.lastValue,
      lastSeenAt: latest ? iso(latest.t) : sensor.lastSeenAt,
      recent: recent.map((r) => ({ t: iso(r.t), v: r.v })),
      rules: rulesFor(this.rules, sensor.metric).map((rule) => {
        const impact = impactOf(rule, state.rules[rule.id]);
        const f = state.forecasts?.[rule.id];
        const forecasting = forecastRules([rule]).length > 0;
        return {
          id: rule.id,
          kind: rule.kind,
          firing: impact?.status === 'active',
          eventId: sensorEventId(id, rule.id),
          raisedAt: impact ? iso(impact.raisedAt) : null,
          clearedAt: impact?.clearedAt ? iso(impact.clearedAt) : null,
          forecast: forecasting
            ? {
                eventId: forecastEventId(id, rule.id),
                anticipated: f?.status === 'anticipated',
                p: f?.p ?? null,
                raisedAt: f?.raisedAt != null ? iso(f.raisedAt) : null,
                endedAt: f?.endedAt != null ? iso(f.endedAt) : null,
                endedBy: f?.endedBy ?? null,
              }
            : null,
        };
      }),
    };
  }
}
