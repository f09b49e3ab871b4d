import type { TestProject } from 'vitest/node';
import { ensureCliBuilt } from '../scripts/build-cli.mjs';
import { startThrowawayServer } from '../scripts/throwaway-postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

/**
 * One real PostgreSQL server for the whole run; each test file makes its own databases on it. The
 * CLI is built first when its sources are newer than its build: the tests run `dbdeck` as a
 * user's pipeline does, as plain JavaScript (cli/bin.mjs runs the sources only when the build is older).
 */
export default async function setup(project: TestProject) {
  await ensureCliBuilt();
  const server = await startThrowawayServer();
  project.provide('postgresUrl', server.url);
  return () => server.stop();
}
