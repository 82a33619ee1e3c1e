export { QUEUES, JOB_QUEUE } from './jobs';
export type { EventPayload, JobName, JobOf, JobPayloads, PropagationCause, QueueName, TelemetryRecord } from './jobs';
export { DEFAULT_JOB_OPTIONS } from './job-options';
export { ALL_EVENTS, PROPAGATION_EVENTS_KEY, PROPAGATION_SEQ_KEY, QueueProducer } from './queue-producer';
export { QueuesModule, redisConnection } from './queues.module';
export { verifyRedis } from './verify-redis';
export { RedisStore } from './redis-store';
export { DeadLetters, isFinalFailure, jobDeadLetter } from './dead-letters';
export type { DeadLetterInput, DeadLetterKind, DeadLetterRecord } from './dead-letters';
