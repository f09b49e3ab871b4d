/** Copy one environment's rows into another's (of another project too, across dialects). */
export type CopyRequest = {
  project: string;
  environment: string;
  fromProject: string;
  from: string;
  mask: boolean;
  tables?: string[];
};

/** One operation on one environment, as the console, the API and the CLI ask for it. */
export type OperationRequest =
  | { kind: 'apply'; project: string; environment: string; to?: string; confirm?: string }
  /** `drafted`: steps without a down file run the down SQL drafted from drizzle-kit's snapshots. */
  | { kind: 'rollback'; project: string; environment: string; steps: number; drafted?: boolean; confirm?: string }
  | { kind: 'plan'; project: string; environment: string; to?: string }
  | { kind: 'seed'; project: string; environment: string; profile: string }
  | { kind: 'reset'; project: string; environment: string; mode: 'data' | 'full'; confirm?: string }
  | ({ kind: 'copy'; confirm?: string } & CopyRequest)
  /** drizzle 1.0's upgrade of a 0.x bookkeeping table, done now under dbdeck's lock (the CLI's). */
  | { kind: 'upgrade-bookkeeping'; project: string; environment: string; confirm?: string };

export type OperationKind = OperationRequest['kind'];

/** The audit log's names for a request of each kind (the console's server actions use the same). */
export const REQUEST_ACTIONS: Record<OperationKind, string> = {
  apply: 'migrations.apply',
  rollback: 'migrations.rollback',
  plan: 'migrations.plan',
  seed: 'data.seed',
  reset: 'data.reset',
  copy: 'data.copy',
  'upgrade-bookkeeping': 'migrations.upgrade-bookkeeping',
};
