/**
 * npm run verify-receipt -- receipt.json [--json]
 *
 * Checks an EPCIS event receipt (GET /v1/epcis/events/{id}/receipt) offline,
 * with no server and no database: the event hashes to its CBV 2.0 event hash,
 * the Merkle inclusion proof leads from that hash to the root, the audit entry
 * hashes to its own hash, and that entry records the root. Exit code 0 when
 * every check holds, 1 when one fails, 2 for a file that cannot be read.
 */
import { readFileSync } from 'node:fs';
import { verifyReceipt } from '@tiersight/traceability';
import { runCli } from './run-cli';

const USAGE = 'usage: npm run verify-receipt -- <receipt.json> [--json]\n';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const files = args.filter((a) => a !== '--json');
  if (files.length !== 1) {
    process.stderr.write(USAGE);
    return 2;
  }
  let receipt: unknown;
  try {
    receipt = JSON.parse(readFileSync(files[0], 'utf8')) as unknown;
  } catch (error) {
    process.stderr.write(`verify-receipt: cannot read ${files[0]}: ${(error as Error).message}\n`);
    return 2;
  }
  const result = verifyReceipt(receipt);
  if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else {
    for (const check of result.checks) process.stdout.write(`${check.ok ? 'ok  ' : 'FAIL'}  ${check.check}: ${check.detail}\n`);
    process.stdout.write(result.ok ? 'receipt verified\n' : 'receipt NOT verified\n');
  }
  return Promise.resolve(result.ok ? 0 : 1);
}

runCli('verify-receipt', main);
