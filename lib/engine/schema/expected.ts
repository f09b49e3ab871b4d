import type { Migration } from '../journal';
import type { BookkeepingTable } from '../types';
import { expectedSchemaKey, type SchemaCache } from './cache';
import { introspectSchema } from './introspect';
import type { SchemaModel } from './model';
import { replayMigrations, type ReplayProgress } from './replay';
import type { ScratchProvider } from './scratch';

export interface ExpectedSchemaOptions {
  scratch: ScratchProvider;
  cache?: SchemaCache;
  bookkeeping?: Partial<BookkeepingTable>;
  onReplay?: (progress: ReplayProgress) => void;
}

export interface ExpectedSchema {
  model: SchemaModel;
  /** True when it came from the cache and nothing was replayed. */
  cached: boolean;
  replayMs: number;
}

/**
 * The schema that exactly these migrations produce: replayed into a scratch database (always
 * disposed of), introspected there like any database, and cached by the set's tags and hashes.
 */
export async function expectedSchema(applied: Migration[], options: ExpectedSchemaOptions): Promise<ExpectedSchema> {
  const started = performance.now();
  const key = options.cache ? expectedSchemaKey(applied, await options.scratch.version()) : '';
  const hit = options.cache ? await options.cache.get(key) : undefined;
  if (hit) return { model: hit, cached: true, replayMs: performance.now() - started };
  const scratch = await options.scratch.open();
  let model: SchemaModel;
  try {
    await replayMigrations(scratch.driver, applied, { onProgress: options.onReplay, scratch: options.scratch });
    model = await introspectSchema(scratch.driver, options.bookkeeping);
  } finally {
    await scratch.dispose();
  }
  await options.cache?.set(key, model);
  return { model, cached: false, replayMs: performance.now() - started };
}
