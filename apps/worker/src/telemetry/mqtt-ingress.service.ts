import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import mqtt, { IPublishPacket, MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { APP_CONFIG, WorkerEnv } from '@tiersight/config';
import { LOGGER } from '@tiersight/observability';
import { DeadLetters } from '@tiersight/queues';
import { SenmlPackError, TelemetryIngest, TooManyRecordsError } from '@tiersight/telemetry';

const RETRY_MS = 1000;

/**
 * SenML over MQTT: subscribes to MQTT_TOPIC at QoS 1 in a persistent session
 * (clean start off, session kept MQTT_SESSION_EXPIRY_S), so messages published
 * while no worker runs are delivered when it reconnects. A message is
 * acknowledged only once its readings are queued in Redis; one that can never
 * be read is dead-lettered, then acknowledged. Off when MQTT_URL is unset.
 */
@Injectable()
export class MqttIngress implements OnApplicationBootstrap, OnApplicationShutdown {
  private client?: MqttClient;
  private stopping = false;
  private subscribedTo: string | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: WorkerEnv,
    private readonly ingest: TelemetryIngest,
    private readonly deadLetters: DeadLetters,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const url = this.config.MQTT_URL;
    if (!url) {
      this.logger.info('MQTT_URL is not set: no MQTT telemetry ingress');
      return;
    }
    const clientId = this.config.MQTT_CLIENT_ID ?? `${this.config.QUEUE_PREFIX}-telemetry`;
    const topic = this.config.MQTT_TOPIC;
    const client = mqtt.connect(url, {
      clientId,
      clean: false,
      protocolVersion: 5,
      properties: { sessionExpiryInterval: this.config.MQTT_SESSION_EXPIRY_S },
      reconnectPeriod: RETRY_MS,
      connectTimeout: 10_000,
    });
    // Called for each message in turn; the PUBACK goes out when `done` is called without an error.
    client.handleMessage = (packet: IPublishPacket, done: (error?: Error) => void) => {
      this.handle(packet).then(
        () => done(),
        (error: Error) => done(error),
      );
    };
    client.on('connect', (connack) => {
      this.logger.info({ clientId, topic, sessionPresent: connack.sessionPresent }, 'MQTT telemetry ingress connected');
      client.subscribe(topic, { qos: 1 }, (error) => {
        if (error) this.logger.error({ err: error, topic }, 'MQTT subscribe failed');
        else this.subscribedTo = topic;
      });
    });
    client.on('close', () => (this.subscribedTo = null));
    client.on('error', (error) => this.logger.warn({ err: error }, 'MQTT error'));
    this.client = client;
  }

  /** The topic filter in force, or null while not connected and subscribed. */
  get subscribed(): string | null {
    return this.subscribedTo;
  }

  /** Resolves once the message's readings are queued (or it is dead-lettered); retries while Redis is away. */
  private async handle(packet: IPublishPacket): Promise<void> {
    const source = `mqtt:${packet.topic}`;
    const size = packet.payload.length;
    if (size > this.config.MQTT_MAX_MESSAGE_BYTES) {
      const reason = `message of ${size} bytes exceeds MQTT_MAX_MESSAGE_BYTES (${this.config.MQTT_MAX_MESSAGE_BYTES})`;
      await this.deadLetters.add({ kind: 'telemetry', source, itemRef: null, reason, excerpt: packet.payload.toString('utf8', 0, 200) });
      return;
    }
    for (;;) {
      try {
        let body: unknown;
        try {
          body = JSON.parse(packet.payload.toString('utf8'));
        } catch (error) {
          throw new SenmlPackError(`not JSON: ${(error as Error).message}`);
        }
        await this.ingest.accept(body, 'mqtt', source);
        return;
      } catch (error) {
        if (error instanceof SenmlPackError || error instanceof TooManyRecordsError) {
          await this.deadLetters.add({ kind: 'telemetry', source, itemRef: null, reason: error.message, excerpt: packet.payload.toString('utf8', 0, 500) });
          return;
        }
        if (this.stopping) throw error;
        this.logger.warn({ err: error, topic: packet.topic }, 'cannot queue an MQTT message yet; retrying');
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    // Unacknowledged messages stay in the broker's session for the next start.
    await this.client?.endAsync(true).catch(() => undefined);
  }
}
