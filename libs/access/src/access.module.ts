import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { AuditModule } from '@tiersight/audit';
import { APP_CONFIG, ApiEnv } from '@tiersight/config';
import { GraphModule } from '@tiersight/graph';
import { createRedisClient, isCluster, keyPrefix } from '@tiersight/queues';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeyRepository } from './api-key.repository';
import { ApiKeyService } from './api-key.service';
import { KeyThrottlerGuard } from './key-throttler.guard';
import { MaskingInterceptor } from './masking.interceptor';
import { MaskingRepository } from './masking.repository';

const RATE_WINDOW_MS = 60_000;

/**
 * Redis-backed counts so every API process shares one budget per key; a provider, so Nest closes its connection.
 * The counts live under the deployment's key prefix (a hash tag on a Redis Cluster: the storage's script
 * touches two keys of a caller).
 */
function rateStorage(config: ApiEnv): ThrottlerStorageRedisService {
  const client = createRedisClient(config, 'rate-limit', { keyPrefix: `${keyPrefix(config)}:rate:` });
  // One constructor overload for each kind of client.
  const storage = isCluster(client) ? new ThrottlerStorageRedisService(client) : new ThrottlerStorageRedisService(client);
  storage.disconnectRequired = true; // our client: closed with the module
  return storage;
}

@Module({
  providers: [{ provide: ThrottlerStorageRedisService, inject: [APP_CONFIG], useFactory: rateStorage }],
  exports: [ThrottlerStorageRedisService],
})
class RateStorageModule {}

/** Creating, revoking and resolving keys, without the HTTP guards (the key CLI uses this alone). Needs ConfigModule and ObservabilityModule. */
@Module({
  imports: [GraphModule, AuditModule],
  providers: [ApiKeyRepository, ApiKeyService],
  exports: [ApiKeyService],
})
export class KeysModule {}

/**
 * API keys and roles for the HTTP API: the global guards (key and role, then
 * rate limit per key), the masking of masked suppliers' names in every
 * response to the buyer's side, and the key service. Needs ConfigModule and ObservabilityModule.
 */
@Module({})
export class AccessModule {
  static forRoot(): DynamicModule {
    return {
      module: AccessModule,
      imports: [
        GraphModule,
        KeysModule,
        ThrottlerModule.forRootAsync({
          imports: [RateStorageModule],
          inject: [APP_CONFIG, ThrottlerStorageRedisService],
          useFactory: (config: ApiEnv, storage: ThrottlerStorageRedisService) => ({
            throttlers: [{ name: 'default', ttl: RATE_WINDOW_MS, limit: config.RATE_LIMIT_PER_MINUTE }],
            storage,
          }),
        }),
      ],
      providers: [
        // Order matters: the key guard attaches the caller the rate limit is counted on.
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_GUARD, useClass: KeyThrottlerGuard },
        MaskingRepository,
        { provide: APP_INTERCEPTOR, useClass: MaskingInterceptor },
      ],
      exports: [KeysModule],
    };
  }
}
