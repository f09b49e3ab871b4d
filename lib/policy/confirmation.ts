// The error module alone: the console's dialogs import this rule into the browser bundle.
import { DbdeckError } from '../engine/errors';
import type { OperationKind } from './request';

/**
 * Why an operation must be confirmed by typing the environment's name, or null when it need not:
 * anything that replaces data (reset, copy) everywhere; applying and rolling back migrations, and
 * rewriting the bookkeeping table, on protected environments. The console asks in its dialog, the CLI on the terminal (or `--yes`).
 */
export function confirmationReason(kind: OperationKind, target: { project: string; environment: string; protected: boolean }): string | null {
  if (kind === 'reset') return `a reset replaces every row of ${target.project} / ${target.environment}`;
  if (kind === 'copy') return `a copy replaces the copied tables' rows of ${target.project} / ${target.environment}`;
  if ((kind === 'apply' || kind === 'rollback' || kind === 'upgrade-bookkeeping') && target.protected)
    return `${target.project} / ${target.environment} is protected`;
  return null;
}

/** The name a dialog must have typed before it may start the operation, or null: the server checks the same rule. */
export function confirmationName(kind: OperationKind, target: { project: string; environment: string; protected: boolean }): string | null {
  return confirmationReason(kind, target) === null ? null : target.environment;
}

/** Refuses a confirmable operation whose `confirm` is not the environment's name. */
export function assertConfirmed(kind: OperationKind, target: { project: string; environment: string; protected: boolean }, confirm: string | undefined): void {
  if (confirmationReason(kind, target) === null || confirm === target.environment) return;
  const who = kind === 'reset' || kind === 'copy' ? `a ${kind}` : `${target.project} / ${target.environment} is protected: it`;
  throw new DbdeckError('refused', `${who} needs the environment's name typed ("${target.environment}") to confirm.`, { environment: target.environment });
}
