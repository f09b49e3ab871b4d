import { createHash } from 'node:crypto';

/** Which dbdeck installation (config) queued a job: only its own workers may run it. */
export interface Installation {
  /** Stable across hosts, restarts and checkouts: the same config anywhere is the same installation. */
  id: string;
  /** For messages: the id and the projects it serves. */
  label: string;
}

/**
 * Several consoles and workers with different configs may share one control store. What a job
 * needs of a worker is to find its project and environment under the same variables, so the
 * identity is a hash of exactly that — projects (name, dialect) and their environments (name, URL
 * variable) — not of the file's path, which differs between the hosts of one installation.
 */
export function installationOf(config: {
  projects: { name: string; dialect: string; environments: { name: string; url: { env: string } }[] }[];
}): Installation {
  const shape = config.projects.map((project) => ({
    name: project.name,
    dialect: project.dialect,
    environments: project.environments.map((environment) => ({ name: environment.name, url: environment.url.env })),
  }));
  const id = createHash('sha256').update(JSON.stringify(shape)).digest('hex').slice(0, 12);
  return { id, label: `${id} (projects ${config.projects.map((p) => p.name).join(', ')})` };
}
