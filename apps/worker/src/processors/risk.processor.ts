import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { JobOf, QUEUES } from '@tiersight/queues';
import { ExposureRunService } from '@tiersight/risk';

/** Thin: a propagation request runs unless a newer run already covered it. */
@Processor(QUEUES.risk)
export class RiskProcessor extends WorkerHost {
  constructor(private readonly runs: ExposureRunService) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    const typed = job as unknown as JobOf<typeof QUEUES.risk>;
    switch (typed.name) {
      case 'risk.propagate':
        return this.runs.runIfNeeded(typed.data.seq);
    }
  }
}
