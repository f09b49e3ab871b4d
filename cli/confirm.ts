import { createInterface } from 'node:readline/promises';
import { DbdeckError } from '../lib/engine/errors';

export interface Confirmation {
  /** What the user types: the environment's name. */
  name: string;
  /** Where the change happens, as refusals name it (`project / environment`). */
  where: string;
  /** Why it is asked, e.g. "staging is protected". */
  why: string;
  /** The command's verb: "migrate", "copy". */
  verb: string;
  yes: boolean;
  json: boolean;
}

/**
 * The CLI's one terminal confirmation: the environment's name typed on a terminal, or --yes from a
 * script. Without a terminal (or with --json) and without --yes it refuses, as a usage error.
 */
export async function confirmByName({ name, where, why, verb, yes, json }: Confirmation): Promise<void> {
  if (yes) return;
  if (!process.stdin.isTTY || json) throw new DbdeckError('usage', `${why}: pass --yes to ${verb} it from a script`);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(`${why}. Type "${name}" to ${verb}: `);
  rl.close();
  if (answer.trim() !== name) throw new DbdeckError('refused', `not confirmed; nothing was changed on ${where}`);
}
