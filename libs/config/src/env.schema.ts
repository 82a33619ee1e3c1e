import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateBy } from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value);
const toFloat = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value);
const toBool = ({ value }: { value: unknown }) => (value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value);

const toJsonObject = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
};

/** A JSON object from event type (or "*", every type) to a finite number in [0, max]. */
function IsTypeTable(max: number) {
  return ValidateBy({
    name: 'isTypeTable',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.entries(value).every(([type, v]) => type.length > 0 && typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= max),
      defaultMessage: (args) => `${args?.property} must be a JSON object from event type (or "*") to a number in [0, ${max}]`,
    },
  });
}

/** A comma-separated list of origins (`https://app.example.com`, `http://localhost:5173`), no paths, no wildcards. */
const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0)
    : value;
const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$|^https?:\/\/\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

function IsOriginList() {
  return ValidateBy({
    name: 'isOriginList',
    validator: {
      validate: (value: unknown) => Array.isArray(value) && value.every((item) => typeof item === 'string' && ORIGIN.test(item)),
      defaultMessage: (args) => `${args?.property} must be comma-separated origins like https://app.example.com (scheme, host and port only)`,
    },
  });
}

/** host:port, the host a name, an IPv4 address or a bracketed IPv6 address, the port 1-65535. */
const HOST_PORT = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):(\d{1,5})$/;

/** A comma-separated list of host:port seeds (at least one). */
function IsHostPortList() {
  return ValidateBy({
    name: 'isHostPortList',
    validator: {
      validate: (value: unknown) =>
        Array.isArray(value) &&
        value.every((item) => {
          const port = typeof item === 'string' ? HOST_PORT.exec(item)?.[1] : undefined;
          return port !== undefined && Number(port) >= 1 && Number(port) <= 65535;
        }),
      defaultMessage: (args) => `${args?.property} must be comma-separated host:port seeds of a Redis Cluster, like 10.0.0.1:7000,10.0.0.2:7000`,
    },
  });
}

/** A rule across variables: `check` sees this value and the whole parsed environment. */
function Consistent(check: (value: unknown, env: Record<string, unknown>) => boolean, message: string) {
  return ValidateBy({
    name: 'consistent',
    validator: {
      validate: (value: unknown, args) => check(value, args?.object as Record<string, unknown>),
      defaultMessage: () => message,
    },
  });
}

/** Variables every process reads. Secrets have no default. */
export class BaseEnv {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV = 'development';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Transform(toBool)
  @IsBoolean()
  LOG_PRETTY = false;

  @Matches(/^(bolt|neo4j)(\+s|\+ssc)?:\/\/[^\s/]+(:\d+)?\/?$/, { message: 'NEO4J_URI must look like bolt://host:7687' })
  NEO4J_URI = 'bolt://127.0.0.1:7687';

  @IsString()
  @MinLength(1)
  NEO4J_USER = 'neo4j';

  @IsString({ message: 'NEO4J_PASSWORD is required' })
  @MinLength(1, { message: 'NEO4J_PASSWORD is required' })
  NEO4J_PASSWORD!: string;

  @IsOptional()
  @IsString()
  NEO4J_DATABASE?: string;

  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must look like redis://host:6379' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'QUEUE_PREFIX must be 1-32 letters, digits, _ or -' })
  QUEUE_PREFIX = 'tiersight';

  /**
   * Seeds of a Redis Cluster (comma-separated host:port): when set, every Redis client is a cluster
   * client over them (REDIS_URL then gives only the credentials and TLS) and every key carries the
   * hash tag `{QUEUE_PREFIX}`; unset, one Redis at REDIS_URL.
   */
  @Transform(toList)
  @IsHostPortList()
  @Consistent(
    (value, env) => !Array.isArray(value) || value.length === 0 || typeof env.REDIS_URL !== 'string' || !/^rediss?:\/\/[^/]*\/0*[1-9]/.test(env.REDIS_URL),
    'REDIS_CLUSTER_NODES: a Redis Cluster has database 0 only; drop the database number from REDIS_URL',
  )
  REDIS_CLUSTER_NODES: string[] = [];

  /** Disruption feeds to pull, as a JSON array of {id, format, url, intervalSeconds?, closeVanished?} (see README). */
  @IsOptional()
  @IsString()
  FEEDS?: string;

  /** The same list read from a JSON file; FEEDS wins when both are set. */
  @IsOptional()
  @IsString()
  FEEDS_FILE?: string;

  /** A JSON file whose values replace parts of the default severity policy (see libs/feed-formats/README.md). */
  @IsOptional()
  @IsString()
  SEVERITY_POLICY_FILE?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(300000)
  FEED_FETCH_TIMEOUT_MS = 30000;

  /** Forecast tracks (DESIGN §10): p of a site anticipated by a cyclone forecast at 0 h lead time, falling linearly to FORECAST_P_AT_120H. */
  @Transform(toFloat)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.01)
  @Max(0.99)
  FORECAST_P_AT_0H = 0.9;

  /** … p at 120 h lead time and beyond; at most FORECAST_P_AT_0H (p never rises with lead time). */
  @Transform(toFloat)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.01)
  @Max(0.99)
  @Consistent(
    (value, env) => typeof value !== 'number' || typeof env.FORECAST_P_AT_0H !== 'number' || value <= env.FORECAST_P_AT_0H,
    'FORECAST_P_AT_120H must not exceed FORECAST_P_AT_0H',
  )
  FORECAST_P_AT_120H = 0.3;

  /** Sensor rules per metric as JSON ({"metrics": {...}}, see README "Telemetry"); replaces the defaults. */
  @IsOptional()
  @IsString()
  TELEMETRY_RULES?: string;

  /** The same rules read from a JSON file; TELEMETRY_RULES wins when both are set. */
  @IsOptional()
  @IsString()
  TELEMETRY_RULES_FILE?: string;

  /** Recent readings kept per sensor in Redis (older ones are dropped). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  TELEMETRY_WINDOW = 500;

  /** Readings accepted in one HTTP request or MQTT message (a larger pack is refused with 413). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000000)
  TELEMETRY_MAX_RECORDS = 100000;

  /** Readings per queued job (a large pack is split). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  TELEMETRY_JOB_RECORDS = 5000;

  /**
   * Webhook targets allowed although they resolve to private, loopback or
   * link-local addresses: comma-separated CIDRs (`127.0.0.0/8`, `::1/128`),
   * host names (`hooks.internal`) or `*.suffix` patterns. Empty: only public addresses.
   */
  @IsOptional()
  @IsString()
  WEBHOOK_ALLOWED_TARGETS?: string;

  /** Grace period after a secret rotation during which deliveries are signed with the old secret too. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(30 * 86400)
  WEBHOOK_SECRET_GRACE_S = 86400;

  /** Per-request timeout of a webhook delivery (connect, send and response headers). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120000)
  WEBHOOK_TIMEOUT_MS = 5000;

  /** Tries per delivery (the first one included) before it is marked failed. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(30)
  WEBHOOK_ATTEMPTS = 8;

  /** New alerts to one subscription share one queue job for their first try, up to this many (1: a job each). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(500)
  WEBHOOK_BATCH_SIZE = 25;

  /** Backoff before retry n is a random delay in [0, min(max, base·2^(n-1))] (full jitter). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600000)
  WEBHOOK_BACKOFF_BASE_MS = 2000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400000)
  WEBHOOK_BACKOFF_MAX_MS = 3600000;

  /** Consecutive failed tries after which an endpoint is paused automatically (0: never by count). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100000)
  WEBHOOK_PAUSE_AFTER_FAILURES = 50;

  /** An endpoint failing without a single success for this long is paused automatically (0: never by time). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(30 * 86400)
  WEBHOOK_PAUSE_AFTER_S = 86400;

  /** A notified exposure is reported again as worsened or improved only when x moves by more than this. */
  @Transform(toFloat)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  WEBHOOK_STEP_X = 0.01;

  /** … or its days move by more than this. */
  @Transform(toFloat)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  WEBHOOK_STEP_DAYS = 0.5;

  /** … or its revenue at risk moves by more than this percentage. */
  @Transform(toFloat)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  WEBHOOK_STEP_REVENUE_PCT = 5;

  /** How long delivery records (the delivery log, replayable bodies) are kept in Redis. */
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(90 * 86400)
  WEBHOOK_RETENTION_S = 7 * 86400;

  /** Public base URL of the API, for the links in alert payloads; relative links when unset. */
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'WEBHOOK_PUBLIC_API_URL must be an http(s) URL' })
  WEBHOOK_PUBLIC_API_URL?: string;

  /** Most events one EPCIS capture document may hold (413 beyond; the worker holds a queued capture to it too). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  EPCIS_MAX_EVENTS = 20_000;

  /** Twin: lognormal σ of event durations per event type, JSON (`{"earthquake": 0.7, "*": 0.5}`); types not listed use 0.5. */
  @Transform(toJsonObject)
  @IsTypeTable(5)
  TWIN_SIGMA: Record<string, number> = {};

  /** Twin: Beta concentration κ of event severities per event type, JSON like TWIN_SIGMA; types not listed use 20 (0: exact). */
  @Transform(toJsonObject)
  @IsTypeTable(1_000_000)
  TWIN_KAPPA: Record<string, number> = {};

  /** Twin: a site-down scenario's recovery ~ Triangular(ttr/(1+s), ttr, (1+s)·ttr); 1 gives DESIGN §9's (0.5·ttr, ttr, 2·ttr), 0 is exact. */
  @Transform(toFloat)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  TWIN_RECOVERY_SPREAD = 1;

  /** Twin: most samples one run may ask for. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  TWIN_MAX_SAMPLES = 10_000;

  /** Twin: longest daily-curve horizon one run may ask for. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  TWIN_MAX_HORIZON_DAYS = 365;

  /** Twin: per-event contributions are estimated on at most the first this-many samples of a run, and on no more than samples ÷ events (0: none). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  TWIN_CONTRIBUTION_SAMPLES = 200;

  /** Twin: worker threads per run; 0 = one per CPU core, 1 = in the process itself. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(64)
  TWIN_THREADS = 0;

  /** Twin: how long runs and their results are kept in Redis (a run over the DESIGN §8 network takes ~150 MB). */
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(90 * 86400)
  TWIN_RETENTION_S = 86400;

  /** Onboarding: largest supplier list file accepted, in bytes (413 beyond). */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(256 * 1024 * 1024)
  ONBOARDING_MAX_BYTES = 10 * 1024 * 1024;

  /** Onboarding: most data rows in one supplier list (413 beyond). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  ONBOARDING_MAX_ROWS = 20_000;

  /** Onboarding: how long an uploaded list and its review are kept in Redis (an unconfirmed review expires). */
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(90 * 86400)
  ONBOARDING_RETENTION_S = 7 * 86400;

  /** Backtests: longest range one backtest may replay, in days (422 beyond). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  BACKTEST_MAX_RANGE_DAYS = 366;

  /** Backtests: most feed documents one backtest may upload (422 beyond); each within its format's feed size limit (413 beyond). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  BACKTEST_MAX_DOCUMENTS = 20;

  /** Backtests: most event versions one backtest may replay (uploads: 413 beyond; history: the run fails saying so). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  BACKTEST_MAX_EVENTS = 5000;

  /** Backtests: how long a backtest, its inputs and its report are kept in Redis. */
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(90 * 86400)
  BACKTEST_RETENTION_S = 7 * 86400;
}

export class ApiEnv extends BaseEnv {
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '127.0.0.1';

  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'ADMIN_API_KEY must be at least 16 characters' })
  ADMIN_API_KEY?: string;

  /** Local development only: requests without a key act as an admin. Refused with NODE_ENV=production. */
  @Transform(toBool)
  @IsBoolean()
  @Consistent((value, env) => !(value === true && env.NODE_ENV === 'production'), 'AUTH_DISABLED=true is refused with NODE_ENV=production')
  AUTH_DISABLED = false;

  /** Requests per minute per API key, counted in Redis across every API process. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  RATE_LIMIT_PER_MINUTE = 1200;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(512)
  IMPORT_MAX_BODY_MB = 20;

  /** Largest EPCIS capture document accepted by POST /v1/epcis/capture, in bytes (413 beyond). */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(512 * 1024 * 1024)
  EPCIS_MAX_BYTES = 16 * 1024 * 1024;

  /** Largest JSON body of every route without a limit of its own (the bulk routes use IMPORT_MAX_BODY_MB), in KiB (413 beyond). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(512 * 1024)
  BODY_MAX_KB = 1024;

  /** Time a client has to send a whole request, headers and body (408 and the connection closed beyond). */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(3_600_000)
  HTTP_REQUEST_TIMEOUT_MS = 120_000;

  /** Time a client has to send the request headers; at most HTTP_REQUEST_TIMEOUT_MS. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(3_600_000)
  @Consistent(
    (value, env) => typeof value !== 'number' || typeof env.HTTP_REQUEST_TIMEOUT_MS !== 'number' || value <= env.HTTP_REQUEST_TIMEOUT_MS,
    'HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS',
  )
  HTTP_HEADERS_TIMEOUT_MS = 20_000;

  /** How long an idle keep-alive connection stays open; behind a load balancer, longer than its idle timeout. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(600_000)
  HTTP_KEEP_ALIVE_TIMEOUT_MS = 5_000;

  /** Browser origins allowed to call the API cross-origin (CORS); none when empty. */
  @Transform(toList)
  @IsOriginList()
  CORS_ORIGINS: string[] = [];
}

export class WorkerEnv extends BaseEnv {
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  WORKER_HEALTH_PORT = 3001;

  /** MQTT broker for telemetry ingress; no MQTT ingress when unset. */
  @IsOptional()
  @Matches(/^(mqtts?|tcp|wss?):\/\/\S+$/, { message: 'MQTT_URL must look like mqtt://host:1883' })
  MQTT_URL?: string;

  /** Topic filter the worker subscribes to (QoS 1); `$share/<group>/<filter>` spreads messages over several workers. */
  @IsString()
  @MinLength(1)
  MQTT_TOPIC = 'tiersight/telemetry/#';

  /** Client id of the persistent MQTT session (default `<QUEUE_PREFIX>-telemetry`); one per running worker. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'MQTT_CLIENT_ID must be 1-64 letters, digits, _ . or -' })
  MQTT_CLIENT_ID?: string;

  /** How long the broker keeps the session (and queues QoS 1 messages) while the worker is away. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(30 * 86400)
  MQTT_SESSION_EXPIRY_S = 86400;

  /** Largest MQTT message read; a larger one is dead-lettered unread (the broker's own message_size_limit still applies). */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(256 * 1024 * 1024)
  MQTT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

  /** Telemetry jobs processed at once by one worker. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  TELEMETRY_CONCURRENCY = 2;

  /** Lock of a telemetry job: a job whose worker died is taken up again after this long. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(600000)
  TELEMETRY_LOCK_MS = 30000;

  /**
   * Lock of a propagation run: one runs at a time across every worker, and a run whose worker died is
   * taken up by another worker after this long. Keep it above the longest pause a run's engine step
   * makes (it computes without yielding): a lock that runs out under a live run lets a second run start,
   * which is safe (the stamp check refuses the slower write) but wasted.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(600000)
  RISK_LOCK_MS = 30000;

  /** Period of the no-reading check. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  TELEMETRY_SILENCE_CHECK_S = 60;

  /** Webhook deliveries in flight at once in one worker (short timeouts keep slow endpoints from holding them). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(2000)
  WEBHOOK_CONCURRENCY = 200;

  /** Deliveries in flight at once to one endpoint from one worker; more wait briefly so one endpoint never takes every slot. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  WEBHOOK_ENDPOINT_CONCURRENCY = 20;
}
