import { createInterface } from 'node:readline/promises';
import { DbdeckError } from '../lib/engine';
import type { CliArgs } from './args';
import type { Session } from './session';

/** Asks for the environment's name on a terminal; scripts answer with --yes. */
export async function confirmByName(session: Session, args: CliArgs, why: string): Promise<void> {
  if (args.yes) return;
  if (!process.stdin.isTTY || args.json) {
    throw new DbdeckError('usage', `${why}: pass --yes to ${args.command} it from a script`);
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const environment = session.label.split(' / ').at(-1)!;
  const answer = await rl.question(`${why}. Type "${environment}" to ${args.command}: `);
  rl.close();
  if (answer.trim() !== environment) throw new DbdeckError('refused', `not confirmed; nothing was changed on ${session.label}`);
}
