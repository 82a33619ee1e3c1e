import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, BaseEnv } from '@tiersight/config';
import { RedisStore } from '@tiersight/queues';
import { emptySensorState, Reading, SensorState } from './rule-engine';

const STATE = 'telemetry:state';
const VERSION = 'telemetry:ver';
const LAST = 'telemetry:last';
const LAST_T = 'telemetry:last-t';
const windowKey = (sensorId: string) => `telemetry:w:${sensorId}`;

/** One sensor's share of a commit: its new rule state, the version it was computed from, and readings for the window. */
export interface SensorCommit {
  sensorId: string;
  expectedVersion: number;
  state: SensorState;
  readings: Reading[];
}

/**
 * All-or-nothing: every sensor's version must still be the one read, else
 * nothing is written (another job moved a sensor meanwhile; the caller
 * re-reads and re-evaluates). Windows are sorted sets keyed by reading, so
 * writing a reading twice keeps one copy.
 * KEYS: state, version, last, last-t, window keys…  ARGV: window size, n, then per sensor
 * id, expected version, state JSON, reading count, (t, v)…
 */
const COMMIT = `
local size = tonumber(ARGV[1])
local n = tonumber(ARGV[2])
local pos = 3
local sensors = {}
for i = 1, n do
  local id = ARGV[pos]
  local expected = tonumber(ARGV[pos + 1])
  local state = ARGV[pos + 2]
  local count = tonumber(ARGV[pos + 3])
  local current = tonumber(redis.call('HGET', KEYS[2], id) or '0')
  if current ~= expected then return 0 end
  sensors[i] = { id, state, pos + 4, count, expected }
  pos = pos + 4 + 2 * count
end
for i = 1, n do
  local s = sensors[i]
  local id, key, first, count = s[1], KEYS[4 + i], s[3], s[4]
  redis.call('HSET', KEYS[1], id, s[2])
  redis.call('HSET', KEYS[2], id, s[5] + 1)
  if count > 0 then
    local newestT, newestV = nil, nil
    local args = {}
    for j = 0, count - 1 do
      local t = ARGV[first + 2 * j]
      local v = ARGV[first + 2 * j + 1]
      args[#args + 1] = t
      args[#args + 1] = t .. '|' .. v
      if newestT == nil or tonumber(t) > tonumber(newestT) then newestT, newestV = t, v end
      if #args >= 4000 then redis.call('ZADD', key, unpack(args)) args = {} end
    end
    if #args > 0 then redis.call('ZADD', key, unpack(args)) end
    redis.call('ZREMRANGEBYRANK', key, 0, -(size + 1))
    local lastT = tonumber(redis.call('HGET', KEYS[4], id) or '-1e308')
    if tonumber(newestT) > lastT then
      redis.call('HSET', KEYS[4], id, newestT)
      redis.call('HSET', KEYS[3], id, newestT .. '|' .. newestV)
    end
  end
end
return 1`;

@Injectable()
export class SensorStateStore {
  private readonly window: number;

  constructor(private readonly store: RedisStore, @Inject(APP_CONFIG) config: BaseEnv) {
    this.window = config.TELEMETRY_WINDOW;
  }

  async read(sensorIds: string[]): Promise<Map<string, { state: SensorState; version: number }>> {
    const out = new Map<string, { state: SensorState; version: number }>();
    if (sensorIds.length === 0) return out;
    const [states, versions] = await Promise.all([
      this.store.client.hmget(this.store.key(STATE), ...sensorIds),
      this.store.client.hmget(this.store.key(VERSION), ...sensorIds),
    ]);
    sensorIds.forEach((id, i) => {
      out.set(id, { state: states[i] ? (JSON.parse(states[i]!) as SensorState) : emptySensorState(), version: Number(versions[i] ?? 0) });
    });
    return out;
  }

  /** True when written; false when a version moved (re-read and try again). */
  async commit(commits: SensorCommit[]): Promise<boolean> {
    if (commits.length === 0) return true;
    const keys = [STATE, VERSION, LAST, LAST_T, ...commits.map((c) => windowKey(c.sensorId))].map((k) => this.store.key(k));
    const args: (string | number)[] = [this.window, commits.length];
    for (const c of commits) {
      args.push(c.sensorId, c.expectedVersion, JSON.stringify(c.state), c.readings.length);
      for (const r of c.readings) args.push(String(r.t), String(r.v));
    }
    const ok = await this.store.client.eval(COMMIT, keys.length, ...keys, ...args);
    return ok === 1;
  }

  /** Latest reading per sensor as kept in Redis (fresher than the graph, which is updated once per job). */
  async latest(sensorId: string): Promise<Reading | null> {
    const raw = await this.store.client.hget(this.store.key(LAST), sensorId);
    return raw ? parseMember(raw) : null;
  }

  /** The most recent readings, newest first. */
  async recent(sensorId: string, limit: number): Promise<Reading[]> {
    const members = await this.store.client.zrevrange(this.store.key(windowKey(sensorId)), 0, Math.max(0, limit - 1));
    return members.map(parseMember);
  }

  async windowCount(sensorId: string): Promise<number> {
    return this.store.client.zcard(this.store.key(windowKey(sensorId)));
  }
}

function parseMember(member: string): Reading {
  const bar = member.indexOf('|');
  return { t: Number(member.slice(0, bar)), v: Number(member.slice(bar + 1)) };
}
