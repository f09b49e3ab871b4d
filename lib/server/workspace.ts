import 'server-only';
import { consoleWorkspace } from '@/lib/runtime/console-workspace';
import type { Workspace } from '@/lib/runtime/workspace';

/**
 * The console's one Workspace, on the config loaded at run time when the server started
 * (instrumentation.ts → lib/runtime/console-workspace.ts): nothing of the config is in the build.
 */
export function getWorkspace(): Workspace {
  return consoleWorkspace();
}
