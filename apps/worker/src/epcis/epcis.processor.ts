import { Injectable } from '@nestjs/common';
import { JobHandlers, QueueProcessor, QueueProducer, QUEUES } from '@tiersight/queues';
import { CaptureRunner, LotFlagService } from '@tiersight/traceability';
import { LotFlagFanout } from '@tiersight/webhooks';

/** Tries of a capture job (Neo4j away, a deadlock) before the capture is marked failed. */
const CAPTURE_ATTEMPTS = 5;

/**
 * EPCIS captures: each job writes one stored document, all or nothing. A
 * document refused for what is stored (an eventID clash, a site that changed
 * hands) is recorded as failed with its errors and not retried; any other
 * failure is retried, and the capture is marked failed on the last try.
 * A capture written (or found written by an earlier try) is followed by the
 * flagging of its lots (DESIGN §11, risk link); events and sensor excursions
 * queue theirs when their hits are written. A flagging job then alerts on
 * every flag no alert went out for yet, and only then marks them alerted.
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
        if (result.outcome !== 'refused') {
          const flag = { v: 1 as const, by: 'capture' as const, captureId: data.captureId, requestId: data.requestId };
          await this.producer.enqueue('lots.flag', flag, { jobId: `lots-flag-${data.captureId}` });
        }
        return result;
      } catch (error) {
        if (job.attemptsMade + 1 >= (job.opts.attempts ?? CAPTURE_ATTEMPTS)) await this.runner.fail(data.captureId, (error as Error).message);
        throw error;
      }
    },
    'lots.flag': async (data, { log }) => {
      const flagged = await this.flags.flag(data.by === 'capture' ? { by: 'capture', captureId: data.captureId } : { by: 'events', eventIds: data.eventIds });
      const pending = await this.flags.pendingAlerts();
      const alerted = await this.alerts.handle(pending);
      await this.flags.markNotified(pending.map((a) => a.flag));
      log.info({ by: data.by, ...flagged, alerted }, 'lots flagged');
      return { ...flagged, alerted };
    },
  };

  constructor(
    private readonly runner: CaptureRunner,
    private readonly flags: LotFlagService,
    private readonly alerts: LotFlagFanout,
    private readonly producer: QueueProducer,
  ) {}
}
