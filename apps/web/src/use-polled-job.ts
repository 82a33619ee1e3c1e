import { useEffect, useState } from 'preact/hooks';
import { errorText } from './api';

/** A job's states while it has not finished. */
export const unfinished = (status: string) => status === 'queued' || status === 'running';

/**
 * A job (a twin run, a backtest) read and read again every `pollMs` while it
 * is queued or running. `accepted` is what the POST that queued it answered,
 * shown until the first read (which then waits one interval); `repoll` reads
 * again from the start (after a cancel, say).
 */
export function usePolledJob<J extends { status: string }, A>(
  id: string | null,
  read: (id: string) => Promise<J>,
  { pollMs, accepted }: { pollMs: number; accepted?: Map<string, A> },
) {
  const [run, setRun] = useState<J | A | null>(() => (id ? (accepted?.get(id) ?? null) : null));
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (!id) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const next = await read(id);
        if (!live) return;
        setRun(next);
        setError(null);
        if (unfinished(next.status)) timer = setTimeout(poll, pollMs);
      } catch (err) {
        if (live) setError(errorText(err));
      }
    };
    if (accepted?.delete(id)) timer = setTimeout(poll, pollMs);
    else void poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [id, round]);
  return { run, error, repoll: () => setRound((r) => r + 1), setRun };
}
