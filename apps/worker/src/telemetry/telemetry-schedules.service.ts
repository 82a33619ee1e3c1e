import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { APP_CONFIG, WorkerEnv } from '@tiersight/config';
import { QUEUES } from '@tiersight/queues';

const SILENCE_SCHEDULER = 'telemetry-silence-check';

/** Keeps the periodic no-reading check scheduled every TELEMETRY_SILENCE_CHECK_S (upsert: several workers starting together agree). */
@Injectable()
export class TelemetrySchedules implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: WorkerEnv,
    @InjectQueue(QUEUES.telemetry) private readonly queue: Queue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      SILENCE_SCHEDULER,
      { every: this.config.TELEMETRY_SILENCE_CHECK_S * 1000 },
      { name: 'telemetry.silence-check', data: { v: 1 } },
    );
  }
}
