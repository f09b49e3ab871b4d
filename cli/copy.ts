import { createInterface } from 'node:readline/promises';
import pc from 'picocolors';
import { loadConfigFile } from '../lib/config/load-config-file';
import { copyData, DbdeckError, type CopyProgress, type CopyResult } from '../lib/engine';
import { Workspace, type OpenEnvironment } from '../lib/runtime/workspace';
import type { CopyArgs } from './args';
import { auditedDataChange } from './data-audit';
import type { HumanOutput } from './output';

const label = (open: OpenEnvironment) => `${open.project.name} / ${open.environment.name}`;

/** Asks for the target's name on a terminal; scripts pass --yes. */
async function confirmTarget(target: OpenEnvironment, args: CopyArgs, masked: boolean): Promise<void> {
  if (args.yes) return;
  const why = `copy deletes every row of ${label(target)}'s copied tables and replaces them${masked ? ' (personal data masked)' : ', unmasked'}`;
  if (!process.stdin.isTTY || args.json) throw new DbdeckError('usage', `${why}: pass --yes to copy from a script`);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(`${why}. Type "${target.environment.name}" to copy: `);
  rl.close();
  if (answer.trim() !== target.environment.name) throw new DbdeckError('refused', `not confirmed; nothing was changed on ${label(target)}`);
}

/**
 * `dbdeck copy`: the target is never a protected environment (its configuration here, its
 * database's protection marker in the engine); masking is on by default when the source is
 * protected; the run is audited as `data.copy` on the target.
 */
export async function runCopy(args: CopyArgs, out: HumanOutput, print: (value: unknown) => void): Promise<number> {
  const workspace = new Workspace(await loadConfigFile(args.config), {
    variables: process.env,
    dataDir: process.env.DBDECK_DATA_DIR,
    embeddedPort: process.env.DBDECK_EMBEDDED_PORT ? Number(process.env.DBDECK_EMBEDDED_PORT) : undefined,
    onWarning: (message) => out.warn(message),
  });
  const opened: OpenEnvironment[] = [];
  try {
    const targetConfig = workspace.resolve(args.toProject, args.to);
    const sourceConfig = workspace.resolve(args.project, args.from);
    const mask = args.mask ?? sourceConfig.environment.protected;
    return await auditedDataChange(
      { workspace, project: args.toProject, environment: args.to, action: 'data.copy' },
      (result: CopyResult | null) => ({ from: `${args.project} / ${args.from}`, masked: mask, tables: result?.tables ?? null }),
      async () => {
        if (targetConfig.environment.protected) throw new DbdeckError('refused', `${args.toProject} / ${args.to} is protected: copying into it is refused for every role and tool`);
        const source = await workspace.open(args.project, args.from);
        opened.push(source);
        const target = await workspace.open(args.toProject, args.to);
        opened.push(target);
        await confirmTarget(target, args, mask);
        if (!args.json) out.line(`copy ${label(source)} → ${label(target)}${mask ? pc.dim(' (masked)') : pc.yellow(' (not masked)')}`);
        const endpoint = async (open: OpenEnvironment) => ({
          driver: open.driver,
          url: (await workspace.url(open)).url,
          bookkeeping: open.table,
          label: label(open),
          migrations: open.migrations,
        });
        const result = await copyData(await endpoint(source), await endpoint(target), {
          tables: args.tables,
          mask,
          extraPersonal: [...(source.project.personalColumns ?? []), ...(target.project.personalColumns ?? [])],
          onProgress: args.json ? undefined : (event) => copyProgress(out, event),
        });
        if (args.json) print(result);
        else out.line(`${pc.green('copied')} ${result.rows.toLocaleString('en')} rows in ${result.tables.length} table(s), ${(result.durationMs / 1000).toFixed(1)} s`);
        return result;
      },
      (text) => out.warn(text),
    ).then(() => 0);
  } finally {
    for (const open of opened) await open.driver.close();
    await workspace.close();
  }
}

function copyProgress(out: HumanOutput, event: CopyProgress) {
  if (event.type === 'table-done') out.line(`  ${pc.green('✓')} ${event.table}  ${event.rows.toLocaleString('en')} rows  ${pc.dim(`${Math.round(event.durationMs)} ms`)}`);
}
