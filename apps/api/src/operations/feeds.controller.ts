import { Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '@tiersight/access';
import { FEED_CONFIG, FeedConfig, FeedHealth } from '@tiersight/disruptions';
import { DeadLetters, QueueProducer } from '@tiersight/queues';
import { DeadLetterQuery, FeedIdParam } from './operations.dto';

@ApiTags('operations')
@ApiBearerAuth()
@Controller('v1')
export class FeedsController {
  constructor(
    @Inject(FEED_CONFIG) private readonly config: FeedConfig,
    private readonly health: FeedHealth,
    private readonly producer: QueueProducer,
    private readonly deadLetters: DeadLetters,
  ) {}

  /** The configured disruption feeds with the outcome of their last pull. */
  @Get('feeds')
  @Roles('admin', 'analyst')
  async list() {
    const health = await this.health.all(this.config.sources.map((s) => s.id));
    return { items: this.config.sources.map((source, i) => ({ ...source, health: health[i] })) };
  }

  /** Pull one feed now (queued; the answer is the job id). */
  @Post('feeds/:id/pull')
  @HttpCode(202)
  @Roles('admin')
  async pull(@Param() p: FeedIdParam) {
    if (!this.config.sources.some((s) => s.id === p.id)) throw new NotFoundException(`feed source "${p.id}" is not configured`);
    const jobId = await this.producer.enqueue('feed.pull', { v: 1, sourceId: p.id });
    return { sourceId: p.id, jobId };
  }

  /** What could not be processed, newest first: feed documents and items, readings, jobs that failed for good. */
  @Get('dead-letters')
  @Roles('admin')
  async listDeadLetters(@Query() q: DeadLetterQuery) {
    const items = await this.deadLetters.list({ limit: q.limit, before: q.cursor, kind: q.kind, source: q.source });
    return { items, nextCursor: items.length === q.limit ? items[items.length - 1].id : null };
  }
}
