import { Injectable } from '@nestjs/common';
import { JobHandlers, QueueProcessor, QUEUES } from '@tiersight/queues';
import { ExposureRunService } from '@tiersight/risk-runs';

/** Thin: a propagation request runs unless a newer run already covered it (one run at a time across workers: see RiskStartup). */
@Injectable()
export class RiskProcessor implements QueueProcessor<typeof QUEUES.risk> {
  readonly queue = QUEUES.risk;

  readonly handlers: JobHandlers<typeof QUEUES.risk> = {
    'risk.propagate': (data) => this.runs.runIfNeeded(data.seq),
  };

  constructor(private readonly runs: ExposureRunService) {}
}
