import pc from 'picocolors';
import { tokenStatus } from '../lib/control/token-status';
import type { ApiTokenListing } from '../lib/control/tokens';
import type { UserSummary } from '../lib/control/users';
import { formatMs } from '../lib/format';
import { describeSafety, type ApplySafety } from '../lib/engine/apply-safety';
import type { EnvironmentStatus } from '../lib/engine/environment-status';
import type { LintFinding, LintSeverity } from '../lib/engine/lint/types';
import type { MigrationLocks, StatementLocks } from '../lib/engine/locks';
import type { PlanResult } from '../lib/engine/migrate';
import type { ResetResult } from '../lib/engine/reset-types';
import type { SeedResult } from '../lib/engine/seed';
import type { MigrationStatusReport } from '../lib/engine/status-report';
import type { StepResult } from '../lib/engine/steps';
import type { MigrationState, ProgressEvent } from '../lib/engine/types';

const STATE_STYLE: Record<MigrationState, (s: string) => string> = {
  applied: pc.green,
  pending: pc.cyan,
  modified: pc.red,
  skipped: pc.red,
  'missing-file': pc.red,
};

const SEVERITY_STYLE: Record<LintSeverity, (s: string) => string> = {
  error: pc.red,
  warning: pc.yellow,
  info: pc.cyan,
};

/** The findings of one migration, as `dbdeck lint` prints them (and its --json lists them). */
export interface MigrationLint {
  tag: string;
  findings: LintFinding[];
}

/** Findings by severity, acknowledged ones (`-- dbdeck-lint-ignore`) apart whatever their severity. */
export type LintCounts = Record<LintSeverity | 'acknowledged', number>;

export function formatWhen(when: number): string {
  return new Date(when).toISOString().replace('T', ' ').slice(0, 16);
}

const RESET_PHASES = { clear: 'clearing…', migrate: 'applying every migration…', seed: 'seeding demo…' } as const;

/** Everything the CLI prints to people; JSON mode bypasses it. */
export class HumanOutput {
  private readonly tty: boolean;
  private liveLine = false;

  constructor(tty: boolean) {
    this.tty = tty;
  }

  line(text = ''): void {
    this.clearLive();
    process.stdout.write(`${text}\n`);
  }

  error(text: string): void {
    this.clearLive();
    process.stderr.write(`${pc.red('error')} ${text}\n`);
  }

  warn(text: string): void {
    this.clearLive();
    process.stderr.write(`${pc.yellow('warning')} ${text}\n`);
  }

  private clearLive(): void {
    if (this.liveLine) process.stderr.write('\r\x1b[2K');
    this.liveLine = false;
  }

  /** Live progress: rewritten in place on a terminal, one line per migration elsewhere. */
  progress = (event: ProgressEvent): void => {
    if (event.type === 'waiting-for-lock') return;
    if (event.type === 'lock-wait' || event.type === 'note') return this.warn(event.message);
    if (event.type === 'reset-phase') return this.line(pc.dim(`  ${RESET_PHASES[event.phase]}`));
    if (event.type === 'seed-table') return this.seedProgress(event.table, event.rows);
    if (event.type === 'statement-start' && this.tty) {
      const preview = event.sql.replace(/\s+/g, ' ').trim().slice(0, 60);
      process.stderr.write(`\r\x1b[2K  ${pc.cyan('›')} ${event.tag} ${pc.dim(`${event.index + 1}/${event.count}`)} ${pc.dim(preview)}`);
      this.liveLine = true;
    }
    if (event.type === 'migration-done') this.line(`  ${pc.green('✓')} ${event.tag} ${pc.dim(formatMs(event.durationMs))}`);
  };

  /** Progress for dry runs: the live line only, since the plan is printed in full afterwards. */
  liveProgress = (event: ProgressEvent): void => {
    if (event.type === 'migration-done') this.clearLive();
    else this.progress(event);
  };

  status(label: string, env: EnvironmentStatus, status: MigrationStatusReport): void {
    this.line(`${pc.bold(label)}  ${pc.dim(`${env.serverVersion} · ${formatMs(env.latencyMs ?? 0)}`)}`);
    // reduce, not Math.max(...tags): a journal of 130,000 entries overflows the stack as arguments.
    const width = status.migrations.reduce((widest, m) => Math.max(widest, m.tag.length), 8);
    for (const m of status.migrations) {
      const badge = STATE_STYLE[m.state](m.state.padEnd(12));
      // drizzle records the migration's own timestamp, not the time it was applied.
      const applied = pc.dim(formatWhen(m.when));
      const notes = [
        m.outOfOrder ? pc.yellow('out of order: older than an applied migration, drizzle 1.0 runs it') : '',
        m.nonTransactional ? pc.yellow(`runs outside a transaction: ${m.nonTransactional}`) : '',
        m.emptyHash ? pc.yellow('row has an empty hash') : '',
      ]
        .filter(Boolean)
        .join('  ');
      this.line(`  ${badge} ${m.tag.padEnd(width)}  ${applied} ${notes}`.trimEnd());
    }
    for (const orphan of status.orphans) {
      if (orphan.missingFolder !== null)
        this.line(`  ${pc.red('missing-file'.padEnd(12))} ${orphan.missingFolder.padEnd(width)}  ${pc.dim(`row ${orphan.id}: its folder is gone`)}`);
      else this.line(`  ${pc.red('orphan'.padEnd(12))} ${pc.dim(`row ${orphan.id}, created_at ${orphan.createdAt}`)}`);
    }
    const ignored =
      status.format === 'folders' ? '(no migration.sql, or a stray file: drizzle 1.0 ignores it)' : '(not in the journal: drizzle never applies it)';
    for (const file of status.unlisted) this.line(`  ${pc.yellow('unlisted'.padEnd(12))} ${file} ${pc.dim(ignored)}`);
    const c = status.counts;
    this.line();
    this.line(
      `  ${c.applied} applied, ${c.pending} pending${c.modified ? `, ${pc.red(`${c.modified} modified`)}` : ''}${c.skipped ? `, ${pc.red(`${c.skipped} skipped`)}` : ''}${c.missingFile ? `, ${pc.red(`${c.missingFile} missing file`)}` : ''}${c.orphan ? `, ${pc.red(`${c.orphan} orphan`)}` : ''}${c.unlisted ? `, ${c.unlisted} unlisted` : ''}`,
    );
    for (const finding of status.drift) this.line(`  ${pc.red('drift')} ${finding.message}`);
  }

  steps(verb: string, steps: StepResult[], durationMs: number): void {
    if (steps.length === 0) this.line(`  nothing to ${verb}`);
    else this.line(`  ${verb === 'apply' ? 'applied' : 'rolled back'} ${steps.length} migration(s) in ${formatMs(durationMs)}`);
    this.withheld(steps);
  }

  /** The transaction control each migration held that dbdeck did not send, one line per migration. */
  withheld(steps: StepResult[]): void {
    for (const step of steps) if (step.withheld) this.line(`  ${pc.yellow('!')} ${step.tag}: ${step.withheld}`);
  }

  /** The dry run, each statement with the locks it takes; `safety` null where the settings don't apply. */
  plan(plan: PlanResult, locks: MigrationLocks[] = [], safety: ApplySafety | null = null): void {
    if (plan.steps.length === 0 && !plan.error) this.line('  nothing pending');
    else if (safety) this.line(pc.dim(`  ${describeSafety(safety)}; locks are held until the transaction commits`));
    const locksOf = (tag: string) => locks.find((l) => l.tag === tag)?.statements ?? [];
    for (const step of plan.steps) {
      if (step.notExecuted) {
        this.line(`  ${pc.yellow('!')} ${step.tag}: ${step.notExecuted}`);
        for (const statement of locksOf(step.tag)) this.locks(statement);
        continue;
      }
      this.line(`  ${pc.green('✓')} ${step.tag} ${pc.dim(`${step.statements.length} statement(s), ${formatMs(step.durationMs)}`)}`);
      if (step.withheld) this.line(`      ${pc.yellow('!')} ${step.withheld}`);
      for (const s of step.statements) {
        this.line(`      ${pc.dim(formatMs(s.durationMs).padStart(9))}  ${s.sql.replace(/\s+/g, ' ').trim().slice(0, 90)}`);
        const statement = locksOf(step.tag)[s.index];
        if (statement) this.locks(statement);
      }
    }
    if (plan.error) {
      this.line(`  ${pc.red('✗')} ${plan.error.tag}, statement ${plan.error.statementIndex + 1}:`);
      this.line(`      ${plan.error.statement.trim().split('\n').join('\n      ')}`);
      this.line(`  ${pc.red(plan.error.message)}`);
    }
    this.line(pc.dim('  dry run: everything was rolled back'));
  }

  private locks(statement: StatementLocks): void {
    const pad = ' '.repeat(17);
    for (const lock of statement.locks) this.line(`${pad}${pc.yellow('lock')} ${lock.mode} on ${lock.target} ${pc.dim(`(${lock.blocks})`)}`);
    if (statement.note) this.line(`${pad}${pc.dim(`lock: ${statement.note}`)}`);
  }

  lint(label: string, results: MigrationLint[], counts: LintCounts): void {
    this.line(`${pc.bold(`lint ${label}`)}`);
    for (const { tag, findings } of results) {
      if (findings.length === 0) {
        this.line(`  ${pc.green('✓')} ${tag}`);
        continue;
      }
      this.line(`  ${pc.bold(tag)}`);
      for (const f of findings) {
        this.line(`    ${SEVERITY_STYLE[f.severity](f.severity.padEnd(7))} ${f.rule}  ${pc.dim(`statement ${f.statementIndex + 1}`)}`);
        this.line(`      ${f.message}`);
        if (f.excerpt) this.line(`      ${pc.dim(f.excerpt)}`);
        if (f.acknowledged) this.line(`      ${pc.green('acknowledged in the file:')} ${f.acknowledged.reason}`);
      }
    }
    this.line();
    const total = `${counts.error} error(s), ${counts.warning} warning(s), ${counts.info} info${counts.acknowledged > 0 ? `, ${counts.acknowledged} acknowledged` : ''}`;
    this.line(`  ${counts.error > 0 ? pc.red(total) : total}${counts.error > 0 ? pc.dim('  (errors block protected environments)') : ''}`);
  }

  seed(result: SeedResult): void {
    for (const [table, rows] of Object.entries(result.inserted)) this.line(`  ${table.padEnd(16)} ${rows} row(s) inserted${idRange(result.ids?.[table])}`);
    this.line(pc.dim(`  seed ${result.seed} (${result.profile}) in ${formatMs(result.durationMs)}`));
  }

  /** Rows a seed has written so far, rewritten in place on a terminal. */
  seedProgress = (table: string, rows: number): void => {
    if (!this.tty) return;
    process.stderr.write(`\r\x1b[2K  ${pc.cyan('›')} ${table} ${pc.dim(`${rows.toLocaleString('en-US')} row(s)`)}`);
    this.liveLine = true;
  };

  reset(result: ResetResult): void {
    const what = result.mode === 'data' ? 'emptied' : 'dropped';
    this.line(
      `  ${what} ${result.cleared.length} ${result.mode === 'data' ? 'table(s)' : 'object(s)'}${result.cleared.length ? pc.dim(`: ${result.cleared.join(', ')}`) : ''}`,
    );
    if (result.mode === 'full') this.line(`  re-applied ${result.reapplied.length} migration(s)`);
    if (result.seed === null) this.line('  not seeded (--no-seed): the tables are empty');
    for (const [table, rows] of Object.entries(result.seeded)) this.line(`  ${table.padEnd(16)} ${rows} row(s) seeded${idRange(result.seededIds?.[table])}`);
    this.line(pc.dim(`  reset ${result.mode} in ${formatMs(result.durationMs)}`));
  }

  users(users: UserSummary[]): void {
    if (users.length === 0) {
      this.line(pc.dim('  no users yet: add the first admin with `dbdeck users add --email you@example.com --role admin`'));
      return;
    }
    const width = users.reduce((widest, u) => Math.max(widest, u.email.length), 0);
    for (const u of users) {
      const status = u.disabledAt ? pc.red('disabled') : pc.green('active  ');
      this.line(`  ${u.email.padEnd(width)}  ${u.role.padEnd(7)}  ${status}  ${pc.dim(u.createdAt.toISOString().slice(0, 10))}  ${u.name}`);
    }
  }

  /** API tokens, newest first: when each stops working is what an admin checks here. */
  tokens(tokens: ApiTokenListing[], now: Date): void {
    if (tokens.length === 0) {
      this.line(pc.dim('  no API tokens yet: an admin creates them on the console’s API tokens page'));
      return;
    }
    const width = Math.max(...tokens.map((t) => t.name.length));
    const day = (date: Date | null, none: string) => (date ? date.toISOString().slice(0, 10) : none);
    for (const t of tokens) {
      const status = tokenStatus(t, now);
      const shown = status === 'live' ? pc.green('live   ') : pc.red(status.padEnd(7));
      this.line(
        `  ${t.name.padEnd(width)}  ${t.prefix}…  ${t.role.padEnd(7)}  ${shown}  expires ${day(t.expiresAt, 'never     ')}  last used ${day(t.lastUsedAt, 'never     ')}  by ${t.createdByEmail}`,
      );
    }
  }
}

/** "  ids 1 … 20" after a table's row count, where the seed reported its first and last key. */
function idRange(ids: { first: string; last: string } | undefined): string {
  if (!ids) return '';
  return pc.dim(ids.first === ids.last ? `  id ${ids.first}` : `  ids ${ids.first} … ${ids.last}`);
}
