import path from 'node:path';
import type { EnvironmentStatus } from '../engine/environment-status';
import type { MigrationSet } from '../engine/journal';
import { checkDrizzleKitUp } from '../engine/kit-up-check';
import { rollbackOrder } from '../engine/status';

/** Which environment a status document is about; an ad hoc CLI target has no project or environment. */
export interface StatusSubject {
  label: string;
  project: string | null;
  environment: string | null;
  protected: boolean;
  requiredApprovals: number;
}

/**
 * The machine-readable status of one environment: what `dbdeck status --json` prints and what the
 * API's `GET …/status` answers, built here only so the two cannot drift apart. File paths are
 * given relative to the migrations folder (the API must not show the server's layout, and a
 * pipeline knows its folder).
 */
export function statusDocument(subject: StatusSubject, set: MigrationSet, environment: EnvironmentStatus) {
  const { status } = environment;
  const relative = (text: string) => text.replaceAll(set.folder + path.sep, '');
  const kitUp = set.format === 'journal' ? checkDrizzleKitUp(set) : null;
  return {
    target: subject.label,
    project: subject.project,
    environment: subject.environment,
    protected: subject.protected,
    requiredApprovals: subject.requiredApprovals,
    reachable: environment.reachable,
    serverVersion: environment.serverVersion,
    latencyMs: environment.latencyMs,
    error: environment.error,
    format: set.format,
    migrations:
      status?.migrations.map((m) => ({
        tag: m.tag,
        when: m.when,
        hash: m.hash,
        state: m.state,
        outOfOrder: m.outOfOrder,
        appliedAt: m.row?.createdAt ?? null,
        rowHash: m.row?.hash ?? null,
        emptyHash: m.emptyHash,
        nonTransactional: m.nonTransactional,
        hasDown: m.hasDown,
      })) ?? [],
    /** The applied migrations' tags in the order a rollback undoes them, newest first. */
    rollbackOrder: status ? rollbackOrder(set, status).map((m) => m.tag) : [],
    orphans: status?.orphans ?? [],
    duplicates: status?.duplicates ?? [],
    unlisted: status?.unlisted ?? [],
    counts: status?.counts ?? null,
    highWaterMark: status?.highWaterMark ?? null,
    drift: status?.drift.map((d) => ({ kind: d.kind, tag: d.tag, file: d.file && relative(d.file), message: relative(d.message) })) ?? [],
    /** drizzle 1.0 folder over a 0.x table: drizzle 1.0's coming upgrade, row by row. */
    upgrade: status?.upgrade ?? null,
    /** drizzle-kit 0.x folder: whether drizzle-kit up (1.0) converts it. */
    drizzleKitUp: kitUp && { ...kitUp, problem: kitUp.problem && relative(kitUp.problem), warnings: kitUp.warnings.map(relative) },
  };
}

export type StatusDocument = ReturnType<typeof statusDocument>;
