import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, WorkerEnv } from '@tiersight/config';
import { JobHandlers, QueueProcessor, QueueWorkerOptions, QUEUES } from '@tiersight/queues';
import { ExposureRunService } from '@tiersight/risk-runs';

/** Times a propagation may be found stalled (its worker gone) and taken up again before it fails. */
const MAX_STALLED = 3;

/**
 * Thin: a propagation request runs unless a newer run already covered it (one run at a time across
 * workers: see RiskStartup). A run whose worker died holds the queue's one slot until its lock
 * (RISK_LOCK_MS) runs out; the next stalled check of a live worker then hands it back and it runs again.
 */
@Injectable()
export class RiskProcessor implements QueueProcessor<typeof QUEUES.risk> {
  readonly queue = QUEUES.risk;
  readonly options: QueueWorkerOptions;

  readonly handlers: JobHandlers<typeof QUEUES.risk> = {
    'risk.propagate': (data) => this.runs.runIfNeeded(data.seq),
  };

  constructor(
    @Inject(APP_CONFIG) config: WorkerEnv,
    private readonly runs: ExposureRunService,
  ) {
    this.options = { lockDuration: config.RISK_LOCK_MS, stalledInterval: config.RISK_LOCK_MS, maxStalledCount: MAX_STALLED };
  }
}
