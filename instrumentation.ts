/**
 * Next calls register() once when the console server starts (before it serves requests): it
 * starts the console's own worker of the operation queue and takes over SIGTERM / SIGINT.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startConsoleWorker } = await import('./lib/server/console-worker');
  await startConsoleWorker();
}
