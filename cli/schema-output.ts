import pc from 'picocolors';
import type { SchemaDriftReport } from '../lib/engine/schema/drift';
import type { EnvironmentDiff } from '../lib/engine/schema/environment-diff';
import type { Definition, DefinitionValue, SchemaDifference } from '../lib/engine/schema/model';

const KIND_STYLE = { extra: pc.yellow, missing: pc.red, changed: pc.magenta } as const;

const show = (value: DefinitionValue | undefined): string =>
  value === undefined || value === null ? '(none)' : typeof value === 'string' ? value : JSON.stringify(value);

function oneLine(text: string, max = 140): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** What a difference is about, in one line: the changed properties, or the object's main property. */
function detail(d: SchemaDifference, labels: { expected: string; actual: string }): string[] {
  if (d.kind === 'changed')
    return d.properties.map((p) => `    ${p}: ${labels.expected} ${oneLine(show(d.expected![p]))}  →  ${labels.actual} ${oneLine(show(d.actual![p]))}`);
  if (d.parts) return [`    with ${oneLine(d.parts.join(', '))}`];
  const definition = (d.expected ?? d.actual) as Definition;
  const main = definition.type ?? definition.definition ?? definition.labels;
  return main === undefined ? [] : [`    ${oneLine(show(main))}`];
}

function name(d: SchemaDifference): string {
  return [d.schema, d.table, d.name].filter((part) => part !== null && part !== '').join('.');
}

export function printDrift(label: string, report: SchemaDriftReport, write: (line: string) => void): void {
  const replay = report.cached ? 'cached expected schema' : `replayed into ${report.scratch}`;
  write(`schema drift of ${label}: ${report.applied.length} applied migration(s), ${replay}`);
  for (const caveat of report.caveats) write(pc.yellow(`  note: ${caveat}`));
  if (report.differences.length === 0) {
    write(pc.green('  no difference: the schema is exactly what the applied migrations produce'));
    return;
  }
  for (const d of report.differences) {
    write(`  ${KIND_STYLE[d.kind](d.kind.padEnd(8))} ${d.objectType.padEnd(18)} ${name(d)}`);
    for (const line of detail(d, { expected: 'migrations:', actual: 'database:' })) write(pc.dim(line));
  }
  const counts = (['missing', 'changed', 'extra'] as const).map((kind) => `${report.differences.filter((d) => d.kind === kind).length} ${kind}`).join(', ');
  write(
    `${report.differences.length} difference(s): ${counts} (extra: in the database, from no migration; missing: a migration made it, the database lacks it)`,
  );
}

export function printDiff(diff: EnvironmentDiff, write: (line: string) => void): void {
  write(`schema of ${diff.environment} against ${diff.against}`);
  write(`  applied only in ${diff.environment}: ${diff.onlyIn.environment.join(', ') || '(none)'}`);
  write(`  applied only in ${diff.against}: ${diff.onlyIn.against.join(', ') || '(none)'}`);
  if (diff.differences.length === 0) {
    write(pc.green('  no difference: the two schemas are the same'));
    return;
  }
  const where = { extra: `only in ${diff.environment}`, missing: `only in ${diff.against}`, changed: 'different' } as const;
  for (const explained of [true, false]) {
    const group = diff.differences.filter((d) => d.explained === explained);
    if (group.length === 0) continue;
    write(explained ? 'explained by the migrations applied in one and not the other:' : pc.red('explained by no migration (drift on one side):'));
    for (const d of group) {
      write(`  ${KIND_STYLE[d.kind](where[d.kind].padEnd(Math.max(where.extra.length, where.missing.length) + 1))} ${d.objectType.padEnd(18)} ${name(d)}`);
      for (const line of detail(d, { expected: `${diff.against}:`, actual: `${diff.environment}:` })) write(pc.dim(line));
    }
  }
  if (diff.draft.ok) {
    write(
      pc.yellow(`draft SQL from drizzle-kit's diff, bringing ${diff.draft.from} to ${diff.draft.to} (a draft to review, not applied; drift is not in it):`),
    );
    for (const statement of diff.draft.statements) write(`  ${statement.trim().replace(/\n/g, '\n  ')}`);
  } else write(pc.dim(`no draft SQL: ${diff.draft.reason}`));
}
