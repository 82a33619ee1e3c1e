// The part of autocannon (v9, no bundled types) that bench/api uses.
declare module 'autocannon' {
  import { EventEmitter } from 'node:events';

  interface Request {
    method?: string;
    path?: string;
    setupRequest?: (req: Record<string, unknown>, context: Record<string, unknown>) => Record<string, unknown>;
  }

  interface Options {
    url: string;
    connections?: number;
    connectionRate?: number;
    overallRate?: number;
    duration?: number;
    timeout?: number;
    headers?: Record<string, string>;
    requests?: Request[];
  }

  function autocannon(options: Options, done?: (error: Error | null, result: unknown) => void): EventEmitter;
  export default autocannon;
}
