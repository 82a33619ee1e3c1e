import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import { JobName, JobPayloads, QUEUES } from './jobs';

/** The typed way to enqueue: the payload type follows from the job name. */
@Injectable()
export class QueueProducer {
  constructor(@InjectQueue(QUEUES.graph) private readonly graphQueue: Queue) {}

  async enqueue<N extends JobName>(name: N, data: JobPayloads[N], options?: JobsOptions): Promise<string | undefined> {
    const job = await this.queueFor(name).add(name, data, options);
    return job.id;
  }

  private queueFor(name: JobName): Queue {
    switch (name) {
      case 'graph.changed':
        return this.graphQueue;
    }
  }
}
