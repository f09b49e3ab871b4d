import type { TestProject } from 'vitest/node';
import { startThrowawayServer } from '../scripts/throwaway-postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

/** One real PostgreSQL server for the whole run; each test file makes its own databases on it. */
export default async function setup(project: TestProject) {
  const server = await startThrowawayServer();
  project.provide('postgresUrl', server.url);
  return () => server.stop();
}
