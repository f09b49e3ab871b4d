import { z } from 'zod';

/** Input schemas shared by the forms, the server actions and the JSON API. */
const name = z
  .string()
  .regex(/^[a-z][a-z0-9_-]*$/, 'lowercase name')
  .max(64);
const tag = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^/\\]+$/, 'a migration tag');

/** The SHA-256 of the migration file as the page showed it: a decision binds what the reviewer read. */
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'the SHA-256 (hex) of the file version you reviewed');

export const environmentRef = z.object({ project: name, environment: name });

export const applySchema = environmentRef.extend({ to: tag.optional(), confirm: z.string().max(64).optional() });
/** `drafted`: steps without a down file run their drafted down SQL (approved like any SQL where approvals are required). */
export const rollbackSchema = environmentRef.extend({
  steps: z.coerce.number().int().min(1).max(100).default(1),
  drafted: z.boolean().optional(),
  confirm: z.string().max(64).optional(),
});
/** What a decision or an acknowledgement is about: the migration's file (`up`), or the down SQL drafted for it (`drafted-down`). */
const subject = z.enum(['up', 'drafted-down']).default('up');
export const planSchema = environmentRef.extend({ to: tag.optional() });
export const decisionSchema = environmentRef
  .extend({
    tag,
    sha256,
    subject,
    decision: z.enum(['approved', 'rejected']),
    comment: z.string().trim().max(2000).optional(),
  })
  .refine((d) => d.decision === 'approved' || (d.comment ?? '').length > 0, { message: 'a rejection needs a comment saying why', path: ['comment'] });
/** A decision on a reviewed set: every file's hash as the page (or the API client) read it, in journal order. */
export const setDecisionSchema = environmentRef
  .extend({
    migrations: z.array(z.object({ tag, sha256 })).min(1).max(1000),
    through: tag.optional(),
    subject,
    decision: z.enum(['approved', 'rejected']),
    comment: z.string().trim().max(2000).optional(),
    acknowledgeLint: z.boolean().optional(),
  })
  .refine((d) => new Set(d.migrations.map((m) => m.tag)).size === d.migrations.length, { message: 'each migration once', path: ['migrations'] })
  .refine((d) => d.decision === 'approved' || (d.comment ?? '').length > 0, { message: 'a rejection needs a comment saying why', path: ['comment'] });
export const acknowledgeSchema = environmentRef.extend({ tag, sha256, subject });
export const seedSchema = environmentRef.extend({ profile: z.enum(['demo']).default('demo') });
export const resetSchema = environmentRef.extend({ mode: z.enum(['data', 'full']), confirm: z.string().max(64).optional() });
export const copySchema = environmentRef.extend({
  fromProject: name,
  from: name,
  mask: z.boolean(),
  tables: z.array(z.string().min(1).max(200)).max(500).optional(),
  confirm: z.string().max(64).optional(),
});
export const copyPreviewSchema = copySchema.omit({ confirm: true });
/** Any id up to a UUID's length: one that names no operation is a 404, malformed or not. */
export const operationRef = z.object({ id: z.string().min(1).max(64) });

export const scopeOf = (input: { project: string; environment: string; to?: string; tag?: string }) => ({
  project: input.project,
  environment: input.environment,
  migrations: input.tag ? [input.tag] : input.to ? [input.to] : [],
});

/** A rollback that may run drafted down SQL says so in the audit log, as the CLI's does. */
export const rollbackScopeOf = (input: { project: string; environment: string; drafted?: boolean }) => ({
  ...scopeOf(input),
  ...(input.drafted ? { details: { drafted: true } } : {}),
});

/** A decision or lint acknowledgement on a drafted down says so in the audit log (its migration's tag is the one named). */
export const decisionScopeOf = (input: { project: string; environment: string; tag: string; subject?: 'up' | 'drafted-down' }) => ({
  ...scopeOf(input),
  ...(input.subject === 'drafted-down' ? { details: { subject: 'drafted-down' } } : {}),
});

/** The audit names the migrations a set decision covers (the reviewed list, cut at `through`), and whether it is on their drafts or acknowledges lint. */
export const setScopeOf = (input: z.infer<typeof setDecisionSchema>) => {
  const end = input.through === undefined ? input.migrations.length : input.migrations.findIndex((m) => m.tag === input.through) + 1;
  const details = {
    ...(input.subject === 'drafted-down' ? { subject: 'drafted-down' } : {}),
    ...(input.acknowledgeLint ? { acknowledgeLint: true } : {}),
  };
  return {
    project: input.project,
    environment: input.environment,
    migrations: input.migrations.slice(0, end).map((m) => m.tag),
    ...(Object.keys(details).length > 0 ? { details } : {}),
  };
};
