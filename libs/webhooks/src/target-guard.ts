import { Inject, Injectable } from '@nestjs/common';
import { lookup } from 'node:dns/promises';
import { APP_CONFIG, BaseEnv } from '@tiersight/config';
import { AllowList, checkAddresses, checkUrlShape, parseAllowList, ParsedTarget, TargetRefusedError } from './target-policy';

/** A checked target: the URL and the one address the request must connect to. */
export interface ResolvedTarget extends ParsedTarget {
  address: string;
  family: 4 | 6;
}

const DNS_CACHE_MS = 5_000;

/**
 * The SSRF guard with I/O: the URL's shape, then its host resolved once and
 * every address checked against the policy. The sender connects to the
 * address returned here, never to the name, so a DNS answer that changes
 * between the check and the connection (rebinding) cannot reach a refused
 * address. Answers, and the checked target of each URL, are cached for a few
 * seconds per process; the sender keeps connecting to the checked address.
 */
@Injectable()
export class TargetGuard {
  readonly allow: AllowList;
  readonly requireHttps: boolean;
  private readonly cache = new Map<string, { addresses: Array<{ address: string; family: number }>; until: number }>();
  /** Checked targets by URL, for as long as their DNS answer is cached (refusals are not kept). */
  private readonly checked = new Map<string, { target: ResolvedTarget; until: number }>();

  constructor(@Inject(APP_CONFIG) config: BaseEnv) {
    this.allow = parseAllowList(config.WEBHOOK_ALLOWED_TARGETS);
    this.requireHttps = config.NODE_ENV === 'production';
  }

  /** Throws TargetRefusedError when the URL may not be called. */
  async resolve(rawUrl: string): Promise<ResolvedTarget> {
    const now = Date.now();
    const hit = this.checked.get(rawUrl);
    if (hit && hit.until > now) return hit.target;
    const target = checkUrlShape(rawUrl, { requireHttps: this.requireHttps });
    const addresses = target.literal ? [{ address: target.literal, family: target.literal.includes(':') ? 6 : 4 }] : await this.lookup(target.host);
    checkAddresses(
      target.host,
      addresses.map((a) => a.address),
      this.allow,
    );
    const first = addresses[0];
    const resolved: ResolvedTarget = { ...target, address: first.address, family: first.family === 6 ? 6 : 4 };
    if (this.checked.size > 10_000) this.checked.clear();
    // Kept no longer than the answer it was checked against: a changed answer is checked again.
    const until = target.literal ? now + DNS_CACHE_MS : Math.min(now + DNS_CACHE_MS, this.cache.get(target.host)?.until ?? now);
    this.checked.set(rawUrl, { target: resolved, until });
    return resolved;
  }

  private async lookup(host: string): Promise<Array<{ address: string; family: number }>> {
    const cached = this.cache.get(host);
    if (cached && cached.until > Date.now()) return cached.addresses;
    let addresses: Array<{ address: string; family: number }>;
    try {
      addresses = await lookup(host, { all: true, verbatim: true });
    } catch (error) {
      throw new TargetRefusedError(`${host} does not resolve (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(host, { addresses, until: Date.now() + DNS_CACHE_MS });
    return addresses;
  }
}
