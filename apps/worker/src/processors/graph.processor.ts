import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { JobOf, QUEUES } from '@tiersight/queues';
import { NetworkSnapshotService } from '../graph-sync/network-snapshot.service';

/** Thin: routes graph jobs to the service that owns the work. */
@Processor(QUEUES.graph)
export class GraphProcessor extends WorkerHost {
  constructor(private readonly snapshot: NetworkSnapshotService) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    const typed = job as unknown as JobOf<typeof QUEUES.graph>;
    switch (typed.name) {
      case 'graph.changed':
        return this.snapshot.syncTo(typed.data.graphVersion);
    }
  }
}
