/**
 * Next calls register() once when the console server starts (before it serves requests): it reads
 * the config, at run time — so one build serves any config, and a broken config stops the start
 * with a clear error instead of failing every page — then starts the console's own worker of the
 * operation queue, which takes over SIGTERM / SIGINT.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { loadConsoleConfigOrExit } = await import('./lib/runtime/console-workspace');
  await loadConsoleConfigOrExit();
  const { startConsoleWorker } = await import('./lib/server/console-worker');
  await startConsoleWorker();
}
