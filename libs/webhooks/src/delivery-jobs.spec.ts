import type { BaseEnv } from '@tiersight/config';
import { batchJobOptions, deliveryJobOptions, splitIntoBatches } from './delivery-jobs';

const config = { WEBHOOK_ATTEMPTS: 8, WEBHOOK_RETENTION_S: 3600 } as BaseEnv;
const ids = (n: number) => Array.from({ length: n }, (_, i) => `msg_${i}`);

describe('splitIntoBatches', () => {
  it('keeps every delivery once, in order, in batches of at most the size', () => {
    for (const n of [0, 1, 15, 16, 17, 100, 400, 401, 10_000]) {
      const batches = splitIntoBatches(ids(n), 25);
      expect(batches.flat()).toEqual(ids(n));
      expect(batches.every((b) => b.length >= 1 && b.length <= 25)).toBe(true);
    }
  });

  it('spreads a small burst over enough batches to run side by side, and fills batches only for a large one', () => {
    expect(splitIntoBatches(ids(16), 25)).toHaveLength(16); // one each
    expect(splitIntoBatches(ids(40), 25).map((b) => b.length)).toEqual([3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 1]);
    expect(splitIntoBatches(ids(10_000), 25)).toHaveLength(400);
    expect(splitIntoBatches(ids(10_000), 1)).toHaveLength(10_000);
  });
});

describe('delivery job options', () => {
  it('gives a batch an id from its deliveries: the same batch queued twice is one job', () => {
    expect(batchJobOptions(config, ids(3)).jobId).toBe(batchJobOptions(config, ids(3)).jobId);
    expect(batchJobOptions(config, ids(3)).jobId).not.toBe(batchJobOptions(config, ids(4)).jobId);
    expect(batchJobOptions(config, ['a', 'b']).jobId).not.toBe(batchJobOptions(config, ['b', 'a']).jobId);
  });

  it('leaves a delivery handed on from a batch only the tries that are left', () => {
    expect(deliveryJobOptions(config, 'msg_1').attempts).toBe(8);
    expect(deliveryJobOptions(config, 'msg_1', undefined, 2).attempts).toBe(7);
    expect(deliveryJobOptions(config, 'msg_1', undefined, 8).attempts).toBe(1);
    expect(deliveryJobOptions(config, 'msg_1', undefined, 2).jobId).toBe('msg_1');
    expect(deliveryJobOptions(config, 'msg_1', 2).jobId).toBe('msg_1-r2');
  });
});
