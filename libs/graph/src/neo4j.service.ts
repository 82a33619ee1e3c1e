import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import neo4j, { Driver, ManagedTransaction, QueryResult, RecordShape, RoutingControl, SessionMode } from 'neo4j-driver';
import { APP_CONFIG, BaseEnv } from '@tiersight/config';
import { mapNeo4jError } from './graph.errors';

export class Neo4jConnectError extends Error {}

const DATABASE_ID = 'CALL db.info() YIELD id RETURN id';

/**
 * The one Neo4j driver of a process, with read/write transaction helpers.
 * Reads go through read transactions (`read`, `query`) and writes through
 * write transactions (`write`, `run`), so that with a routing `neo4j://` URI
 * on a cluster the driver sends reads to followers and read replicas and
 * writes to the leader. Every session shares the driver's bookmark manager:
 * a read in this process sees every write this process committed before it,
 * whichever cluster member serves it.
 */
@Injectable()
export class Neo4jService implements OnApplicationShutdown {
  readonly driver: Driver;
  private readonly database?: string;

  constructor(@Inject(APP_CONFIG) private readonly config: BaseEnv) {
    this.driver = neo4j.driver(config.NEO4J_URI, neo4j.auth.basic(config.NEO4J_USER, config.NEO4J_PASSWORD), {
      maxConnectionPoolSize: 100,
      connectionAcquisitionTimeout: 30_000,
      disableLosslessIntegers: true,
    });
    this.database = config.NEO4J_DATABASE;
  }

  /** Fails with one readable line when Neo4j cannot be reached or refuses the credentials. */
  async verify(): Promise<void> {
    let accepted: boolean;
    try {
      accepted = await this.driver.verifyAuthentication();
    } catch (error) {
      const reason = (error as Error).message.split('\n')[0];
      throw new Neo4jConnectError(`cannot reach Neo4j at ${this.config.NEO4J_URI}: ${reason}`);
    }
    if (!accepted) {
      throw new Neo4jConnectError(`Neo4j at ${this.config.NEO4J_URI} rejected the credentials of ${this.config.NEO4J_USER}: check NEO4J_PASSWORD`);
    }
  }

  /**
   * The database's own id (new with every new database). Anything kept outside
   * Neo4j that names a state of its data (queue job ids, say) includes it, so
   * that Redis outliving a database reset cannot pass the new data for the old.
   * Read afresh on every call (one cheap query): a process that outlives a
   * reset must not go on naming the old database.
   */
  async databaseId(): Promise<string> {
    const res = await this.query<{ id: string }>(DATABASE_ID);
    return String(res.records[0].get('id'));
  }

  async read<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    const session = this.session(neo4j.session.READ);
    try {
      return await session.executeRead(work);
    } catch (error) {
      throw mapNeo4jError(error);
    } finally {
      await session.close();
    }
  }

  async write<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    const session = this.session(neo4j.session.WRITE);
    try {
      return await session.executeWrite(work);
    } catch (error) {
      throw mapNeo4jError(error);
    } finally {
      await session.close();
    }
  }

  /** One read query in a read transaction of its own, routed to a reader. */
  async query<R extends RecordShape = RecordShape>(query: string, params: Record<string, unknown> = {}): Promise<QueryResult<R>> {
    return this.executeQuery<R>(query, params, neo4j.routing.READ);
  }

  /** One write query in a write transaction of its own, routed to the leader (schema statements too: they cannot share a transaction with data writes). */
  async run<R extends RecordShape = RecordShape>(query: string, params: Record<string, unknown> = {}): Promise<QueryResult<R>> {
    return this.executeQuery<R>(query, params, neo4j.routing.WRITE);
  }

  /** One query in an implicit (auto-commit) transaction: the only kind that may run CALL { … } IN TRANSACTIONS. */
  async autoCommit(query: string, params: Record<string, unknown> = {}): Promise<void> {
    const session = this.session(neo4j.session.WRITE);
    try {
      await session.run(query, params);
    } catch (error) {
      throw mapNeo4jError(error);
    } finally {
      await session.close();
    }
  }

  async ping(): Promise<void> {
    await this.query('RETURN 1');
  }

  private session(mode: SessionMode) {
    return this.driver.session({ database: this.database, defaultAccessMode: mode, bookmarkManager: this.driver.executeQueryBookmarkManager });
  }

  private async executeQuery<R extends RecordShape>(query: string, params: Record<string, unknown>, routing: RoutingControl): Promise<QueryResult<R>> {
    try {
      return await this.driver.executeQuery<QueryResult<R>>(query, params, { database: this.database, routing });
    } catch (error) {
      throw mapNeo4jError(error);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.driver.close();
  }
}
