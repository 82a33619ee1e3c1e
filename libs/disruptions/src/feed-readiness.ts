import { Inject, Injectable } from '@nestjs/common';
import type { ReadinessCheck } from '@tiersight/contracts';
import { FEED_CONFIG, FeedConfig } from './feed-config';
import { FeedHealth } from './feed-health';

/**
 * The feeds' part of `/health/ready`. Feeds never make the platform down: the
 * stored events still stand. A source whose last pull failed is listed and
 * the check reads "degraded".
 */
@Injectable()
export class FeedReadiness implements ReadinessCheck {
  readonly name = 'feeds';
  readonly advisory = true;

  constructor(
    private readonly health: FeedHealth,
    @Inject(FEED_CONFIG) private readonly config: FeedConfig,
  ) {}

  async probe(): Promise<Record<string, unknown>> {
    const records = await this.health.all(this.config.sources.map((s) => s.id));
    const failing = records.filter((r) => r.state === 'failing').map((r) => ({ sourceId: r.sourceId, lastError: r.lastError, since: r.lastSuccessAt }));
    return { state: failing.length ? 'degraded' : 'ok', sources: records.length, failing };
  }
}
