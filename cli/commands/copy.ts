import pc from 'picocolors';
import type { CopyProgress, CopyResult } from '../../lib/engine/copy/copy-data';
import { checkOperation } from '../../lib/policy/check-operation';
import { formatMs } from '../../lib/format';
import { assertCopyAllowed } from '../../lib/policy/copy-sources';
import { runCopy, type CopyRequest } from '../../lib/runtime/environment-copy';
import type { CopyArgs } from '../args';
import { confirmByName } from '../confirm';
import { auditedDataChange } from '../data-audit';
import type { HumanOutput } from '../output';
import { cliWorkspace } from '../workspace';

/**
 * `dbdeck copy`: the same rules as the console's (lib/runtime/environment-copy.ts) — never into a protected
 * environment, masking on by default from a protected source — confirmed by the target's name,
 * audited as `data.copy` on the target.
 */
export async function runCopyCommand(args: CopyArgs, out: HumanOutput, print: (value: unknown) => void): Promise<number> {
  const workspace = await cliWorkspace(args.config, (message) => out.warn(message));
  try {
    const mask = args.mask ?? workspace.resolve(args.project, args.from).environment.protected;
    const request: CopyRequest = { project: args.toProject, environment: args.to, fromProject: args.project, from: args.from, mask, tables: args.tables };
    await auditedDataChange(
      { workspace, project: args.toProject, environment: args.to, action: 'data.copy' },
      (result: CopyResult | null) => ({ from: `${args.project} / ${args.from}`, masked: mask, tables: result?.tables ?? null }),
      async () => {
        assertCopyAllowed(workspace.config, request);
        const where = `${request.project} / ${request.environment}`;
        await confirmByName({
          name: request.environment,
          where,
          why: `copy deletes every row of ${where}'s copied tables and replaces them${request.mask ? ' (personal data masked)' : ', unmasked'}`,
          verb: 'copy',
          yes: args.yes,
          json: args.json,
        });
        // The console's policy (lib/policy) for the confirmed request: protection and confirmation by name.
        const target = workspace.resolve(request.project, request.environment);
        await checkOperation(
          { kind: 'copy', ...request, confirm: request.environment },
          { environment: target.environment, dialect: target.dialect, migrations: workspace.migrations(target), status: null },
          { control: { unreachable: 'not needed' }, applierId: null },
        );
        if (!args.json)
          out.line(`copy ${args.project} / ${args.from} → ${args.toProject} / ${args.to}${mask ? pc.dim(' (masked)') : pc.yellow(' (not masked)')}`);
        const result = await runCopy(workspace, request, { onProgress: args.json ? undefined : (event) => copyProgress(out, event) });
        if (args.json) print(result);
        else out.line(`${pc.green('copied')} ${result.rows.toLocaleString('en')} rows in ${result.tables.length} table(s), ${formatMs(result.durationMs)}`);
        return result;
      },
      (text) => out.warn(text),
    );
    return 0;
  } finally {
    await workspace.close();
  }
}

function copyProgress(out: HumanOutput, event: CopyProgress) {
  if (event.type === 'table-done')
    out.line(`  ${pc.green('✓')} ${event.table}  ${event.rows.toLocaleString('en')} rows  ${pc.dim(formatMs(event.durationMs))}`);
}
