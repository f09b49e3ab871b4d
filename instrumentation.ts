/**
 * Next calls register() once when a server starts, before it answers requests: the console reads
 * its config here, at run time, so one build serves any config and a broken config stops the
 * start with a clear error instead of failing every page.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { loadConsoleWorkspaceOrExit } = await import('./lib/runtime/console-workspace');
  await loadConsoleWorkspaceOrExit();
}
