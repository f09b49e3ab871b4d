/** dist/cli/, where the built CLI goes. */
export const CLI_OUT_DIR: string;
/** Whether dist/cli holds a build at least as new as each of the sources it was built from. */
export function cliBuildIsFresh(): boolean;
/** Builds the CLI into dist/cli/; returns esbuild's metafile. */
export function buildCli(): Promise<{ inputs: Record<string, unknown>; outputs: Record<string, { bytes: number }> }>;
/** Builds unless the build is fresh; true when it built. */
export function ensureCliBuilt(): Promise<boolean>;
