import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import http from 'node:http';
import https from 'node:https';
import { ResolvedTarget } from './target-guard';

export interface SendResult {
  status: number | null;
  retryAfter: string | null;
  latencyMs: number;
  /** Set when no answer came, or with the start of the body of an answer that is not 2xx. */
  error: string | null;
}

const KEPT_BODY = 300;

/**
 * One POST to an already checked target: the connection goes to the checked
 * address (the Host header and the TLS server name stay the URL's host, so
 * certificates are verified against the name). One deadline covers connect,
 * send, the answer and its body. Connections are kept alive per process.
 */
@Injectable()
export class HttpSender implements OnApplicationShutdown {
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 256, scheduling: 'lifo' });
  private readonly httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 256, scheduling: 'lifo' });

  post(target: ResolvedTarget, body: string, headers: Record<string, string>, timeoutMs: number): Promise<SendResult> {
    const started = process.hrtime.bigint();
    const elapsed = () => Number((process.hrtime.bigint() - started) / 1_000_000n);
    const secure = target.url.protocol === 'https:';
    return new Promise<SendResult>((resolve) => {
      let settled = false;
      const finish = (r: Omit<SendResult, 'latencyMs'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ ...r, latencyMs: elapsed() });
      };
      const options: https.RequestOptions = {
        host: target.address,
        family: target.family,
        port: target.port,
        path: `${target.url.pathname}${target.url.search}`,
        method: 'POST',
        agent: secure ? this.httpsAgent : this.httpAgent,
        headers: { ...headers, host: target.url.host, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      };
      if (secure && !target.literal) options.servername = target.host;
      const req = (secure ? https : http).request(options, (res) => {
        const status = res.statusCode ?? 0;
        const ok = status >= 200 && status < 300;
        const retryAfter = (res.headers['retry-after'] as string | undefined) ?? null;
        let kept = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (!ok && kept.length < KEPT_BODY) kept += chunk.slice(0, KEPT_BODY - kept.length);
        });
        res.on('end', () => finish({ status, retryAfter, error: ok ? null : `HTTP ${status}${kept ? `: ${kept.trim()}` : ''}` }));
        res.on('error', (error) => finish({ status, retryAfter, error: `HTTP ${status}, then ${error.message}` }));
        // An answer cut short after its status line still counts by its status.
        res.on('close', () => finish({ status, retryAfter, error: ok ? null : `HTTP ${status}` }));
      });
      const timer = setTimeout(() => {
        req.destroy(new Error(`no complete answer within ${timeoutMs} ms`));
      }, timeoutMs);
      req.on('error', (error: NodeJS.ErrnoException) =>
        finish({ status: null, retryAfter: null, error: error.code ? `${error.code}: ${error.message}` : error.message }),
      );
      req.end(body);
    });
  }

  onApplicationShutdown(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
