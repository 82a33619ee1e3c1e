/**
 * Where a capture's time goes: documents of new lot flows captured through the platform's path
 * (CaptureService.submit, then CaptureRunner.run) into a store bench:trace filled, with every
 * statement of the worker's transaction timed, and optionally PROFILEd (--plan: each statement's
 * operators with their rows and db hits, to find Eager and label scans). Run against the bench's
 * Neo4j with the bench's environment, e.g.:
 *   TIERSIGHT_HOME=.local/bench-trace NEO4J_URI=bolt://127.0.0.1:7689 node -r ts-node/register/transpile-only \
 *     -r tsconfig-paths/register bench/trace/capture-profile.ts --docs 6 [--plan]
 * (add --cpu-prof to node for the JavaScript side). Prints a table to stderr.
 */
import 'reflect-metadata';
import { DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { ManagedTransaction } from 'neo4j-driver';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { BaseEnv, loadConfig } from '@tiersight/config';
import { Neo4jService } from '@tiersight/graph';
import { CaptureRunner, CaptureService, TraceabilityModule } from '@tiersight/traceability';
import { CliModule } from '../../tools/cli/cli.module';
import { captureBaseline, dropBaseline } from './capture-baseline';
import { flowNetwork } from './flow-network';
import { epcisDocument, LotFlows } from './lot-flows';

const { values: args } = parseArgs({
  options: {
    docs: { type: 'string', default: '6' },
    'doc-events': { type: 'string', default: '1000' },
    plan: { type: 'boolean', default: false },
  },
});
const DOCS = Number(args.docs);
const DOC_EVENTS = Number(args['doc-events']);
const ACTOR = { keyId: 'bench-trace', role: 'admin', supplierId: null };

@Module({})
class ProfileModule {
  static forRoot(config: BaseEnv): DynamicModule {
    return { module: ProfileModule, imports: [CliModule.forRoot(config, pino({ level: 'warn' })), TraceabilityModule] };
  }
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const say = (line: string) => process.stderr.write(`${line}\n`);
// CPU time (ms) Neo4j's process has used: on a shared machine it varies far less than wall time.
const neo4jPid = (() => {
  try {
    return readFileSync(join(resolve(process.env.TIERSIGHT_HOME ?? '.local'), 'neo4j', 'run', 'neo4j.pid'), 'utf8').trim();
  } catch {
    return null;
  }
})();
const neo4jCpuMs = () => {
  if (neo4jPid === null) return 0;
  const fields = readFileSync(`/proc/${neo4jPid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
};
const ownCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const labelOf = (query: string) => query.trim().replace(/\s+/g, ' ').slice(0, 70);

interface PlanNode {
  operatorType: string;
  rows?: number;
  dbHits?: number;
  children: PlanNode[];
}
const operators = (p: PlanNode): string[] => [`${p.operatorType.replace(/@.*/, '')}(${p.rows ?? '?'}r/${p.dbHits ?? '?'}h)`, ...p.children.flatMap(operators)];

async function main() {
  const app = await NestFactory.createApplicationContext(ProfileModule.forRoot(loadConfig(BaseEnv)), { logger: false });
  const neo4j = app.get(Neo4jService);
  const times = new Map<string, number[]>();
  const plans = new Map<string, string>();
  const packing = new Map<string, number[]>();
  const write = neo4j.write.bind(neo4j);
  // Every statement of a write transaction timed (and PROFILEd with --plan), keyed by its first words.
  const transactions: number[] = [];
  neo4j.write = async <T>(work: (tx: ManagedTransaction) => Promise<T>) => {
    const t0 = process.hrtime.bigint();
    try {
      return await timedWrite(work);
    } finally {
      transactions.push(ms(t0));
    }
  };
  const works: number[] = [];
  const timedWrite = <T>(work: (tx: ManagedTransaction) => Promise<T>) =>
    write(async (tx) => {
      const t0 = process.hrtime.bigint();
      try {
        return await work(
          new Proxy(tx, {
            get(target, prop) {
              if (prop !== 'run') return Reflect.get(target, prop) as unknown;
              return async (query: string, params?: Record<string, unknown>) => {
                const label = labelOf(query);
                const t0 = process.hrtime.bigint();
                const pending = target.run(args.plan ? `PROFILE ${query}` : query, params);
                // The driver packs the parameters before run() returns: that part is JavaScript.
                (packing.get(label) ?? packing.set(label, []).get(label)!).push(ms(t0));
                const res = await pending;
                (times.get(label) ?? times.set(label, []).get(label)!).push(ms(t0));
                const profile = res.summary.profile as unknown as PlanNode | false;
                if (profile) plans.set(label, operators(profile).join(' < '));
                return res;
              };
            },
          }) as ManagedTransaction,
        );
      } finally {
        works.push(ms(t0));
      }
    });
  try {
    const { flows } = flowNetwork('small', 42);
    const tag = `P${Date.now().toString(36).toUpperCase()}`;
    const lotFlows = new LotFlows(flows, { seed: 42, levels: 12, lanes: 200, lanesPerSite: 8, tag, palletBase: 900_000_000 + (Date.now() % 90_000_000) });
    const docs: object[] = [];
    let pending: Record<string, unknown>[] = [];
    for (let w = 0; docs.length < DOCS; w++) {
      for (const e of lotFlows.wave(w).events) {
        pending.push(e);
        if (pending.length === DOC_EVENTS) {
          docs.push(epcisDocument(pending, Date.now()));
          pending = [];
          if (docs.length === DOCS) break;
        }
      }
    }
    const submitter = app.get(CaptureService);
    const runner = app.get(CaptureRunner);
    const phases: { submit: number; run: number; transaction: number; work: number }[] = [];
    const cpu: { node: number; neo4j: number }[] = [];
    for (const doc of docs) {
      const cpu0 = { node: ownCpuMs(), neo4j: neo4jCpuMs() };
      let t = process.hrtime.bigint();
      const { captureId } = await submitter.submit(doc, ACTOR);
      const submit = ms(t);
      t = process.hrtime.bigint();
      const result = await runner.run(captureId);
      if (result.outcome !== 'succeeded') throw new Error(`capture failed: ${JSON.stringify(result)}`);
      cpu.push({ node: ownCpuMs() - cpu0.node, neo4j: neo4jCpuMs() - cpu0.neo4j });
      phases.push({ submit, run: ms(t), transaction: Math.max(...transactions.splice(0)), work: Math.max(...works.splice(0)) });
    }
    // The first document warms the plans and the JIT: left out of the medians.
    const warm = (xs: number[]) => (xs.length > 1 ? xs.slice(1) : xs);
    say(
      `${DOCS} documents of ${DOC_EVENTS} events (first left out): submit ${median(warm(phases.map((p) => p.submit))).toFixed(1)} ms, run ${median(warm(phases.map((p) => p.run))).toFixed(1)} ms, of which its write transaction ${median(warm(phases.map((p) => p.transaction))).toFixed(1)} ms (its work before the commit ${median(warm(phases.map((p) => p.work))).toFixed(1)} ms) (medians)`,
    );
    say(
      `  CPU per document (medians): this process ${median(warm(cpu.map((c) => c.node))).toFixed(0)} ms, Neo4j ${median(warm(cpu.map((c) => c.neo4j))).toFixed(0)} ms`,
    );
    // The bench's baseline on the same documents (its own labels, dropped after).
    const base: { wall: number; node: number; neo4j: number }[] = [];
    for (const doc of docs) {
      const cpu0 = { node: ownCpuMs(), neo4j: neo4jCpuMs() };
      const t = process.hrtime.bigint();
      await captureBaseline(neo4j, doc as { epcisBody: { eventList: Record<string, unknown>[] } });
      base.push({ wall: ms(t), node: ownCpuMs() - cpu0.node, neo4j: neo4jCpuMs() - cpu0.neo4j });
    }
    await dropBaseline(neo4j);
    say(
      `  baseline per document (medians): ${median(warm(base.map((b) => b.wall))).toFixed(1)} ms; CPU this process ${median(warm(base.map((b) => b.node))).toFixed(0)} ms, Neo4j ${median(warm(base.map((b) => b.neo4j))).toFixed(0)} ms`,
    );
    let total = 0;
    for (const [label, xs] of times) {
      const m = median(warm(xs));
      total += (m * xs.length) / DOCS;
      const packed = median(warm(packing.get(label) ?? [0]));
      say(`  ${m.toFixed(1).padStart(8)} ms (${packed.toFixed(1).padStart(5)} packing) ×${(xs.length / DOCS).toFixed(1)}  ${label}`);
      if (plans.has(label)) say(`              ${plans.get(label)}`);
    }
    say(`  ${total.toFixed(1).padStart(8)} ms  in statements per document`);
  } finally {
    await app.close();
  }
}

main().catch((error) => {
  process.stderr.write(`capture profile: ${(error as Error).stack}\n`);
  process.exit(1);
});
