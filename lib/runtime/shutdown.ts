/**
 * SIGTERM / SIGINT for a long-lived dbdeck process (console or worker): runs `shutdown` once —
 * stop taking jobs, let running operations finish within the grace period, close pools — then
 * exits 0 (1 if shutting down failed). A second signal while it runs is ignored: the grace
 * period, not the impatience of a supervisor, decides when operations are cancelled.
 */
export function exitOnShutdownSignal(shutdown: (signal: NodeJS.Signals) => Promise<void>, log: (line: string) => void): void {
  let started = false;
  const handle = (signal: NodeJS.Signals) => {
    if (started) return;
    started = true;
    log(`[dbdeck] ${signal}: stopping (no new operations; running ones get the grace period)`);
    shutdown(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        log(`[dbdeck] shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handle);
  process.on('SIGINT', handle);
}

/**
 * Next's own handlers exit at once on SIGTERM (code 143) and would cut running operations off:
 * whoever starts the console server (npm start, serve) passes this so that ours decide.
 */
export const CONSOLE_SERVER_ENV = { NEXT_MANUAL_SIG_HANDLE: 'true' } as const;
