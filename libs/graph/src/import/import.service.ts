import { Injectable } from '@nestjs/common';
import { GraphError, GraphErrorCode, RowError } from '../graph.errors';
import { ImportCounts, ImportHooks, ImportRepository } from './import.repository';
import { checkReferences, checkShapes, NormalizedImport, referenceQuery } from './validate-import';

/** Row errors reported per request; the total is always given. */
export const MAX_REPORTED_ERRORS = 1000;

export interface ImportProgress {
  /** `validate`: shapes checked; `checked`: references and share sums checked against the graph; `write`: rows written so far. */
  phase: 'validate' | 'checked' | 'write';
  rowsWritten: number;
  rowsTotal: number;
}

/**
 * The one import path (API and CLI): every DESIGN §2 rule is checked before
 * anything is written; a valid batch is written in a single transaction.
 */
@Injectable()
export class ImportService {
  constructor(private readonly repository: ImportRepository) {}

  /** Validates without writing; returns the normalised rows or throws the row-level report. */
  async validate(payload: unknown): Promise<NormalizedImport> {
    const { rows, errors } = checkShapes(payload);
    if (errors.length === 0) {
      const facts = await this.repository.facts(referenceQuery(rows));
      errors.push(...checkReferences(rows, facts));
    }
    if (errors.length > 0) throw invalidImport(errors);
    return rows;
  }

  async import(payload: unknown, onProgress?: (progress: ImportProgress) => void, hooks?: ImportHooks): Promise<ImportCounts> {
    const { rows, errors } = checkShapes(payload);
    if (errors.length > 0) throw invalidImport(errors);
    const rowsTotal = Object.values(rows).reduce((n, list) => n + list.length, 0);
    onProgress?.({ phase: 'validate', rowsWritten: 0, rowsTotal });
    // The references and share sums are checked inside the writing transaction, under the graph lock.
    const check = (facts: Parameters<typeof checkReferences>[1]) => {
      const problems = checkReferences(rows, facts);
      if (problems.length > 0) throw invalidImport(problems);
      onProgress?.({ phase: 'checked', rowsWritten: 0, rowsTotal });
    };
    return this.repository.writeChecked(rows, check, (rowsWritten) => onProgress?.({ phase: 'write', rowsWritten, rowsTotal }), hooks);
  }
}

function invalidImport(errors: RowError[]): GraphError {
  const sorted = [...errors].sort((a, b) => a.entity.localeCompare(b.entity) || a.index - b.index);
  return new GraphError(GraphErrorCode.InvalidImport, `the import was rejected: ${errors.length} row error(s); nothing was written`, {
    errors: sorted.slice(0, MAX_REPORTED_ERRORS),
  });
}
