import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { JobOf, QUEUES, QueueProducer } from '@tiersight/queues';
import { ProjectionCache } from '@tiersight/risk';

/** Thin: a graph change reloads the projection and asks for a propagation. */
@Processor(QUEUES.graph)
export class GraphProcessor extends WorkerHost {
  constructor(private readonly projections: ProjectionCache, private readonly producer: QueueProducer) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    const typed = job as unknown as JobOf<typeof QUEUES.graph>;
    switch (typed.name) {
      case 'graph.changed': {
        const { graphVersion, projection } = await this.projections.current();
        await this.producer.requestPropagation({ cause: 'graph', requestId: typed.data.requestId });
        return { graphVersion, nodes: projection.nodeCount, edges: projection.edgeCount };
      }
    }
  }
}
