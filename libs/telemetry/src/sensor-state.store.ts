import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, BaseEnv } from '@tiersight/config';
import { RedisStore } from '@tiersight/queues';
import { emptySensorState, Reading, SensorState } from './rule-engine';

const STATE = 'telemetry:state';
const VERSION = 'telemetry:ver';
const LAST = 'telemetry:last';
const LAST_T = 'telemetry:last-t';
const windowKey = (sensorId: string) => `telemetry:w:${sensorId}`;
const checkpointKey = (sensorId: string) => `telemetry:cp:${sensorId}`;
/** Checkpoints kept per sensor (the state after each of its last commits), for replaying late readings. */
export const CHECKPOINTS = 32;
/** The score of the checkpoint "before any reading". */
const ORIGIN = -1;

/** One sensor's share of a commit: its new rule state, the version it was computed from, and readings for the window. */
export interface SensorCommit {
  sensorId: string;
  expectedVersion: number;
  state: SensorState;
  readings: Reading[];
  /** Set when the state was replayed from the checkpoint at this time: later checkpoints are dropped. */
  replayedFrom?: number | null;
}

/** What a replay of late readings starts from: a checkpoint and the readings kept since. */
export interface ReplayInput {
  checkpoint: SensorState;
  stored: Reading[];
}

/**
 * All-or-nothing: every sensor's version must still be the one read, else
 * nothing is written (another job moved a sensor meanwhile; the caller
 * re-reads and re-evaluates). Windows are sorted sets keyed by reading, so
 * writing a reading twice keeps one copy. A commit with readings also keeps
 * the new state as a checkpoint scored by its lastT (the first one also the
 * origin); checkpoints older than what the window still holds are dropped.
 * KEYS: state, version, last, last-t, then per sensor its window and checkpoint keys.
 * ARGV: window size, checkpoints kept, n, then per sensor id, expected version,
 * state JSON, lastT ('' if none), replayed-from ('' if none), reading count, (t, v)…
 */
const COMMIT = `
local size = tonumber(ARGV[1])
local keep = tonumber(ARGV[2])
local n = tonumber(ARGV[3])
local pos = 4
local sensors = {}
for i = 1, n do
  local id = ARGV[pos]
  local expected = tonumber(ARGV[pos + 1])
  local count = tonumber(ARGV[pos + 5])
  local current = tonumber(redis.call('HGET', KEYS[2], id) or '0')
  if current ~= expected then return 0 end
  sensors[i] = { id, ARGV[pos + 2], pos + 6, count, expected, ARGV[pos + 3], ARGV[pos + 4] }
  pos = pos + 6 + 2 * count
end
for i = 1, n do
  local s = sensors[i]
  local id, key, cp, first, count = s[1], KEYS[3 + 2 * i], KEYS[4 + 2 * i], s[3], s[4]
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
    if redis.call('ZREMRANGEBYRANK', key, 0, -(size + 1)) > 0 then
      local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
      redis.call('ZREMRANGEBYSCORE', cp, '-inf', '(' .. oldest[2])
    end
    local lastT = tonumber(redis.call('HGET', KEYS[4], id) or '-1e308')
    if tonumber(newestT) > lastT then
      redis.call('HSET', KEYS[4], id, newestT)
      redis.call('HSET', KEYS[3], id, newestT .. '|' .. newestV)
    end
    if s[5] == 0 then redis.call('ZADD', cp, ${ORIGIN}, '{"lastT":null,"rules":{}}') end
    if s[7] ~= '' then redis.call('ZREMRANGEBYSCORE', cp, '(' .. s[7], '+inf') end
    if s[6] ~= '' then
      redis.call('ZREMRANGEBYSCORE', cp, s[6], s[6])
      redis.call('ZADD', cp, s[6], s[2])
    end
    redis.call('ZREMRANGEBYRANK', cp, 0, -(keep + 1))
  end
end
return 1`;

@Injectable()
export class SensorStateStore {
  private readonly window: number;

  constructor(
    private readonly store: RedisStore,
    @Inject(APP_CONFIG) config: BaseEnv,
  ) {
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
    const keys = [STATE, VERSION, LAST, LAST_T, ...commits.flatMap((c) => [windowKey(c.sensorId), checkpointKey(c.sensorId)])].map((k) => this.store.key(k));
    const args: (string | number)[] = [this.window, CHECKPOINTS, commits.length];
    for (const c of commits) {
      const replayed = c.replayedFrom === undefined ? '' : String(c.replayedFrom ?? ORIGIN);
      args.push(c.sensorId, c.expectedVersion, JSON.stringify(c.state), c.state.lastT === null ? '' : String(c.state.lastT), replayed, c.readings.length);
      for (const r of c.readings) args.push(String(r.t), String(r.v));
    }
    const ok = await this.store.client.eval(COMMIT, keys.length, ...keys, ...args);
    return ok === 1;
  }

  /**
   * For each sensor with late readings (the earliest at `since`): the newest
   * checkpoint before `since` (else the oldest one kept) and the window's
   * readings after it. Null for a sensor without checkpoints.
   */
  async replayInputs(since: Map<string, number>): Promise<Map<string, ReplayInput | null>> {
    const out = new Map<string, ReplayInput | null>();
    if (since.size === 0) return out;
    const ids = [...since.keys()];
    const pipeline = this.store.client.pipeline();
    for (const id of ids) {
      pipeline.zrevrangebyscore(this.store.key(checkpointKey(id)), `(${since.get(id)}`, '-inf', 'WITHSCORES', 'LIMIT', 0, 1);
      pipeline.zrange(this.store.key(checkpointKey(id)), '0', '0', 'WITHSCORES');
    }
    const found = checked(await pipeline.exec());
    const checkpoints = new Map<string, { t: number; state: SensorState }>();
    ids.forEach((id, i) => {
      const [before, oldest] = [found[2 * i]?.[1] as string[], found[2 * i + 1]?.[1] as string[]];
      const hit = before?.length ? before : oldest;
      if (hit?.length) checkpoints.set(id, { t: Number(hit[1]), state: JSON.parse(hit[0]) as SensorState });
      else out.set(id, null);
    });
    const reads = this.store.client.pipeline();
    const order = [...checkpoints.keys()];
    for (const id of order) reads.zrangebyscore(this.store.key(windowKey(id)), `(${checkpoints.get(id)!.t}`, '+inf');
    const windows = checked(await reads.exec());
    order.forEach((id, i) => {
      const members = (windows[i]?.[1] as string[]) ?? [];
      out.set(id, { checkpoint: checkpoints.get(id)!.state, stored: members.map(parseMember) });
    });
    return out;
  }

  /**
   * Per sensor, the window's readings from `since` (seconds) on, newest first, at most `limit`:
   * what a forecast is fitted on. One round trip for all sensors.
   */
  async windowsSince(since: Map<string, number>, limit: number): Promise<Map<string, Reading[]>> {
    const out = new Map<string, Reading[]>();
    if (since.size === 0) return out;
    const ids = [...since.keys()];
    const pipeline = this.store.client.pipeline();
    for (const id of ids) pipeline.zrevrangebyscore(this.store.key(windowKey(id)), '+inf', String(since.get(id)), 'LIMIT', 0, limit);
    const found = checked(await pipeline.exec());
    ids.forEach((id, i) => out.set(id, ((found[i]?.[1] as string[]) ?? []).map(parseMember)));
    return out;
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

function checked(results: [Error | null, unknown][] | null): [Error | null, unknown][] {
  const failed = (results ?? []).find(([error]) => error);
  if (failed) throw failed[0];
  return results ?? [];
}

function parseMember(member: string): Reading {
  const bar = member.indexOf('|');
  return { t: Number(member.slice(0, bar)), v: Number(member.slice(bar + 1)) };
}
