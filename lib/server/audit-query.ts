import { z } from 'zod';
import { AUDIT_RESULTS } from '../control/schema';
import type { AuditFilter } from '../control/audit';

/**
 * The audit page's URL: filters and page number in searchParams, so that a filtered view can be
 * bookmarked and shared. A malformed value is dropped rather than refused: it is only a URL.
 */
export const AUDIT_PAGE_SIZE = 50;

const blankIsUnset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankIsUnset, schema.optional()).catch(undefined);

export const auditQuerySchema = z.object({
  /** The actor: an e-mail, `token:<name>`, `cli:<user>` or `anonymous`. */
  user: optional(z.string().trim().max(254)),
  /** `project` or `project/environment`. */
  env: optional(z.string().regex(/^[a-z][a-z0-9_-]*(\/[a-z][a-z0-9_-]*)?$/)),
  action: optional(z.string().trim().max(100)),
  result: optional(z.enum(AUDIT_RESULTS)),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
});

export type AuditQuery = z.infer<typeof auditQuerySchema>;

export function auditFilterOf(query: AuditQuery): AuditFilter {
  const [project, environment] = query.env?.split('/') ?? [];
  return { actor: query.user, project, environment, action: query.action, result: query.result };
}

export function isFiltered(query: AuditQuery): boolean {
  return Boolean(query.user || query.env || query.action || query.result);
}

/** The page's URL for this query, with some of it changed. */
export function auditHref(query: AuditQuery, change: Partial<AuditQuery> = {}): string {
  const next = { ...query, ...change };
  const params = new URLSearchParams();
  for (const key of ['user', 'env', 'action', 'result'] as const) {
    const value = next[key];
    if (value) params.set(key, value);
  }
  if (next.page > 1) params.set('page', String(next.page));
  const search = params.toString();
  return search ? `/audit?${search}` : '/audit';
}
