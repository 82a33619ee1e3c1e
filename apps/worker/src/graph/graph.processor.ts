import { Injectable } from '@nestjs/common';
import { JobHandlers, QueueProcessor, QUEUES, QueueProducer } from '@tiersight/queues';
import { ProjectionCache } from '@tiersight/risk-runs';

/** Thin: a graph change reloads the projection and asks for a propagation. */
@Injectable()
export class GraphProcessor implements QueueProcessor<typeof QUEUES.graph> {
  readonly queue = QUEUES.graph;

  readonly handlers: JobHandlers<typeof QUEUES.graph> = {
    'graph.changed': async (data) => {
      const { graphVersion, projection } = await this.projections.current();
      await this.producer.requestPropagation({ cause: 'graph', requestId: data.requestId });
      return { graphVersion, nodes: projection.nodeCount, edges: projection.edgeCount };
    },
  };

  constructor(
    private readonly projections: ProjectionCache,
    private readonly producer: QueueProducer,
  ) {}
}
