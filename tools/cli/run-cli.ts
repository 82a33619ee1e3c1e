/**
 * Runs a command-line tool's main and exits with its code. A failure it did
 * not handle (bad configuration, an unreachable service) is one line on
 * stderr, never a stack trace.
 */
export function runCli(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${name}: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
