import type { Driver } from '../engine/drivers/types';
import { DbdeckError } from '../engine/errors';
import { hasProtectionMarker, protectedDatabaseMessage } from '../engine/protection';
import type { OperationKind } from './request';

/** Replace or add data wholesale: never on a protected environment, whoever asks and however. */
const DATA_CHANGES: Partial<Record<OperationKind, string>> = { seed: 'seeding', reset: 'reset', copy: 'copying into it' };

export function changesData(kind: OperationKind): boolean {
  return kind in DATA_CHANGES;
}

/** The configuration's refusal: `protected: true` forbids seed, reset and copy for every role and tool. */
export function assertNotProtected(kind: OperationKind, target: { project: string; environment: string; protected: boolean }): void {
  const verb = DATA_CHANGES[kind];
  if (verb && target.protected)
    throw new DbdeckError('refused', `${target.project} / ${target.environment} is protected: ${verb} is refused for every role and tool`, {
      environment: target.environment,
    });
}

/**
 * The database's own refusal: a protected environment's database carries dbdeck's marker (written
 * whenever dbdeck opens it), so a configuration that forgot `protected` still cannot wipe it. The
 * engine checks the marker again inside its transaction; this says so before anything starts.
 */
export async function assertNotMarked(kind: OperationKind, driver: Driver): Promise<void> {
  const verb = DATA_CHANGES[kind];
  if (verb && (await hasProtectionMarker(driver)))
    throw new DbdeckError('refused', await protectedDatabaseMessage(driver, kind === 'copy' ? 'copy into' : verb));
}
