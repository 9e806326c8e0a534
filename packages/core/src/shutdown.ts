/** Anything with an async `close`: Worker, Queue, QueueEvents, a backend. */
export interface Closable {
  close(): Promise<void>;
}

/**
 * Closes `targets` in order on SIGTERM or SIGINT (what Kubernetes and Ctrl-C send), so
 * workers finish or hand back their jobs before the process exits. A second signal
 * exits at once with code 1. Returns a function that removes the handlers.
 */
export function closeOnSignals(
  targets: Closable[],
  opts: { signals?: NodeJS.Signals[]; onError?: (err: unknown) => void } = {},
): () => void {
  const signals = opts.signals ?? ['SIGTERM', 'SIGINT'];
  let closing = false;
  const handler = () => {
    if (closing) process.exit(1);
    closing = true;
    void (async () => {
      for (const t of targets) {
        try {
          await t.close();
        } catch (err) {
          opts.onError?.(err);
          process.exitCode = 1;
        }
      }
      dispose();
    })();
  };
  const dispose = () => {
    for (const s of signals) process.off(s, handler);
  };
  for (const s of signals) process.on(s, handler);
  return dispose;
}
