import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { EXPOSURE_CHANGE_VERSION, type ExposureChangeKind } from '@tiersight/contracts';

/** A Standard Webhooks body `{ type, timestamp, data }`, with the fields of `data` the tests read. */
export interface ReceivedPayload {
  type: string;
  timestamp: string;
  data: { skuId: string; criticalPath: Array<{ nodeId: string }>; [field: string]: unknown };
}

/** One request a receiver got, with whether the public standardwebhooks library accepted it. */
export interface Received {
  path: string;
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  /** The parsed body; null when it is not JSON. */
  payload: ReceivedPayload | null;
  at: number;
  verified: boolean;
  verifyError?: string;
}

/** `seen`: how many requests with this webhook-id the path got, this one included; `payload`: the parsed body. */
export type Behaviour = (req: IncomingMessage, res: ServerResponse, seen: number, payload: ReceivedPayload | null) => void;

/**
 * Real local HTTP receivers on one loopback server, one path each, each with
 * its own behaviour. Every request is checked with the `standardwebhooks`
 * package against the path's secrets (set once the subscription exists).
 */
export class Receivers {
  readonly got: Received[] = [];
  private server?: Server;
  private readonly behaviours = new Map<string, Behaviour>();
  private readonly secrets = new Map<string, string[]>();
  private readonly perId = new Map<string, number>();
  private readonly listeners: Array<(r: Received) => void> = [];
  base = '';

  on(path: string, behaviour: Behaviour): this {
    this.behaviours.set(path, behaviour);
    return this;
  }

  secret(path: string, ...secrets: string[]): void {
    this.secrets.set(path, secrets);
  }

  onReceive(listener: (r: Received) => void): void {
    this.listeners.push(listener);
  }

  at(path: string): Received[] {
    return this.got.filter((r) => r.path === path);
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const path = req.url ?? '';
        const headers = {
          'webhook-id': String(req.headers['webhook-id'] ?? ''),
          'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
          'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
        };
        let verified = false;
        let verifyError: string | undefined;
        for (const secret of this.secrets.get(path) ?? []) {
          try {
            new Webhook(secret).verify(body, headers);
            verified = true;
          } catch (error) {
            verifyError = (error as Error).message;
          }
        }
        const r: Received = {
          path,
          id: headers['webhook-id'],
          timestamp: headers['webhook-timestamp'],
          signature: headers['webhook-signature'],
          body,
          payload: safeJson(body),
          at: Date.now(),
          verified,
          verifyError,
        };
        this.got.push(r);
        const seen = (this.perId.get(`${path} ${r.id}`) ?? 0) + 1;
        this.perId.set(`${path} ${r.id}`, seen);
        this.listeners.forEach((l) => l(r));
        const behaviour = this.behaviours.get(path);
        if (behaviour) behaviour(req, res, seen, r.payload);
        else {
          res.statusCode = 404;
          res.end();
        }
      });
    });
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

function safeJson(text: string): ReceivedPayload | null {
  try {
    return JSON.parse(text) as ReceivedPayload;
  } catch {
    return null;
  }
}

/** An exposure change as the risk engine publishes it on its stream. */
export function change(kind: ExposureChangeKind, skuId: string, after: Record<string, unknown> | null, before: Record<string, unknown> | null = null) {
  return { v: EXPOSURE_CHANGE_VERSION, kind, skuId, before, after };
}

export function exposureOf(skuId: string, over: Record<string, unknown> = {}) {
  return {
    skuId,
    x: 0.5,
    days: 24,
    onsetDays: 37,
    revenueAtRisk: 120000,
    eventIds: [],
    confidence: null,
    criticalPath: [
      { nodeId: `${skuId}-SITE`, x: 1, days: 30, onsetDays: 0 },
      { nodeId: skuId, x: 0.5, days: 24, onsetDays: 37 },
    ],
    ...over,
  };
}
