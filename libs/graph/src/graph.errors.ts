import { Neo4jError } from 'neo4j-driver';
import { CodedError } from '@tiersight/contracts';

export enum GraphErrorCode {
  NotFound = 'GRAPH_NOT_FOUND',
  Conflict = 'GRAPH_CONFLICT',
  Unavailable = 'GRAPH_UNAVAILABLE',
  InvalidImport = 'GRAPH_INVALID_IMPORT',
}

export interface RowError {
  entity: string;
  index: number;
  field: string;
  message: string;
}

export class GraphError extends CodedError<GraphErrorCode, { errors?: RowError[] }> {}

const UNAVAILABLE_CODES = new Set(['ServiceUnavailable', 'SessionExpired', 'Neo.ClientError.Security.Unauthorized']);

/** Maps driver errors by `error.code` (never by message) to domain errors; others pass through. */
export function mapNeo4jError(error: unknown): unknown {
  if (!(error instanceof Neo4jError)) return error;
  if (error.code === 'Neo.ClientError.Schema.ConstraintValidationFailed') {
    return new GraphError(GraphErrorCode.Conflict, 'the change conflicts with existing data (unique id)');
  }
  if (UNAVAILABLE_CODES.has(error.code) || error.code.startsWith('Neo.TransientError.')) {
    return new GraphError(GraphErrorCode.Unavailable, 'the graph database is unavailable, try again');
  }
  return error;
}
