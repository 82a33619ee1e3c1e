import type { INestApplication } from '@nestjs/common';
import type { Browser } from 'playwright-core';
import { RedisStore } from '@tiersight/queues';
import { deleteByPrefix, postJson, RunningApi, startApi, startWorker } from '../../../test/support/api-harness';
import { deleteRedisKeys, obliterateQueues } from '../../../test/support/cleanup';
import { launchChromium } from './browser';

/** What a browser test runs against: the real API (and worker) under its own queues, an analyst key and Chromium. */
export interface WebStack {
  readonly api: RunningApi;
  readonly browser: Browser;
  /** The analyst key the stack created (see WebStackOptions.analystKeyName). */
  readonly analystKey: string;
  /** Starts the worker if it is not running yet. */
  startWorker(): Promise<void>;
}

export interface WebStackOptions {
  /** The test's id prefix (uniquePrefix): its queues are named after it and its nodes removed by it. */
  prefix: string;
  /** The name of an analyst key to create, removed by that name afterwards; without it no analyst key is made. */
  analystKeyName?: string;
  /** false: no worker with the API, the test starts it (startWorker) when it wants its queues served. */
  worker?: boolean;
  /** More environment for the API and the worker (QUEUE_PREFIX is the prefix's). */
  env?: Record<string, string>;
  /** The test's own data, once the API (and worker) run. */
  setUp?: (stack: WebStack) => Promise<void>;
  /** Removes what the test stored outside its prefix; runs with the worker stopped and the queues emptied. */
  cleanUp?: (stack: WebStack) => Promise<void>;
}

function started<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is not there yet: the stack makes it in beforeAll`);
  return value;
}

/**
 * Starts the stack in beforeAll (API, worker, the test's set-up, the analyst
 * key, Chromium) and takes it down in afterAll, the test's data with it.
 * Call it in the describe block; its fields are there once beforeAll ran.
 */
export function useWebStack(options: WebStackOptions): WebStack {
  const queuePrefix = options.prefix.slice(0, -1);
  const env = { QUEUE_PREFIX: queuePrefix, ...options.env };
  let api: RunningApi | undefined;
  let worker: INestApplication | undefined;
  let browser: Browser | undefined;
  let analystKey: string | undefined;
  const stack: WebStack = {
    get api() {
      return started(api, 'the API');
    },
    get browser() {
      return started(browser, 'Chromium');
    },
    get analystKey() {
      return started(analystKey, 'the analyst key');
    },
    async startWorker() {
      worker ??= await startWorker(env);
    },
  };

  beforeAll(async () => {
    api = await startApi(env);
    if (options.worker !== false) await stack.startWorker();
    await options.setUp?.(stack);
    if (options.analystKeyName !== undefined) {
      const key = await postJson(`${api.url}/v1/admin/keys`, { role: 'analyst', name: options.analystKeyName });
      expect(key.status).toBe(201);
      analystKey = key.body.key as string;
    }
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    if (!api) return;
    try {
      await obliterateQueues(api.app);
      await deleteRedisKeys(api.app.get(RedisStore).client, queuePrefix);
      if (options.analystKeyName !== undefined) {
        await api.neo4j.run('MATCH (k:ApiKey) WHERE k.name = $name DETACH DELETE k', { name: options.analystKeyName });
      }
      await options.cleanUp?.(stack);
      await deleteByPrefix(api.neo4j, options.prefix);
    } finally {
      await api.close();
    }
  });

  return stack;
}
