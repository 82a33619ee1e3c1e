import { Injectable } from '@nestjs/common';
import { JobHandlers, QueueProcessor, QUEUES } from '@tiersight/queues';
import { CaptureRunner } from '@tiersight/traceability';

/** Tries of a capture job (Neo4j away, a deadlock) before the capture is marked failed. */
const CAPTURE_ATTEMPTS = 5;

/**
 * EPCIS captures: each job writes one stored document, all or nothing. A
 * document refused for what is stored (an eventID clash, a site that changed
 * hands) is recorded as failed with its errors and not retried; any other
 * failure is retried, and the capture is marked failed on the last try.
 */
@Injectable()
export class EpcisProcessor implements QueueProcessor<typeof QUEUES.epcis> {
  readonly queue = QUEUES.epcis;
  readonly options = { concurrency: 2 };

  readonly handlers: JobHandlers<typeof QUEUES.epcis> = {
    'epcis.capture': async (data, { job, log }) => {
      try {
        const result = await this.runner.run(data.captureId);
        log.info({ captureId: data.captureId, ...result }, 'epcis capture');
        return result;
      } catch (error) {
        if (job.attemptsMade + 1 >= (job.opts.attempts ?? CAPTURE_ATTEMPTS)) await this.runner.fail(data.captureId, (error as Error).message);
        throw error;
      }
    },
  };

  constructor(private readonly runner: CaptureRunner) {}
}
