import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = join(__dirname, '..', '..');
const lib = (file: string) => pathToFileURL(join(ROOT, 'scripts', 'lib', file)).href;

/**
 * A Neo4j of a test's own, that the test may stop and start again: the
 * server the services scripts assemble (scripts/lib/neo4j.mjs), on its own
 * Bolt port with its data under `home`, started and stopped by those
 * scripts' own functions (stop: SIGTERM, a clean shutdown, SIGKILL only if
 * that takes over a minute).
 */
export class KillableNeo4j {
  readonly uri: string;

  constructor(
    port: number,
    private readonly home: string,
    private readonly memory = { heap: '512m', pagecache: '128m' },
  ) {
    this.uri = `bolt://127.0.0.1:${port}`;
  }

  /** Starts it (a new database when its data folder is empty) and resolves once Bolt answers with the configured credentials. */
  async start(): Promise<void> {
    await this.script(`
      import { serviceConfig } from '${lib('services.mjs')}';
      import { ensureNeo4j } from '${lib('neo4j.mjs')}';
      const cfg = serviceConfig({ ...process.env, TIERSIGHT_HOME: ${JSON.stringify(this.home)}, NEO4J_URI: ${JSON.stringify(this.uri)},
        NEO4J_HEAP: ${JSON.stringify(this.memory.heap)}, NEO4J_PAGECACHE: ${JSON.stringify(this.memory.pagecache)} });
      await ensureNeo4j(cfg, () => {});`);
  }

  /** Stops it and resolves once the process has exited: 'stopped' (a clean shutdown), 'killed', or 'not running'. */
  async stop(): Promise<'stopped' | 'killed' | 'not running'> {
    const out = await this.script(`
      import { ownNeo4jPid } from '${lib('neo4j.mjs')}';
      import { stopPid } from '${lib('shell.mjs')}';
      const pid = ownNeo4jPid(${JSON.stringify(this.home)});
      process.stdout.write(pid ? await stopPid(pid, 60000) : 'not running');`);
    return out as 'stopped' | 'killed' | 'not running';
  }

  /** Runs an ES module script against scripts/lib; resolves with what it wrote to stdout. */
  private script(source: string): Promise<string> {
    return new Promise((done, fail) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', source], { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', fail);
      child.on('exit', (code) => (code === 0 ? done(stdout.trim()) : fail(new Error(`Neo4j script failed (${code}): ${stderr.trim()}`))));
    });
  }
}
