import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Migration } from '../journal';
import type { SchemaModel } from './model';

/** Where expected schemas are kept between checks, keyed by {@link expectedSchemaKey}. */
export interface SchemaCache {
  get(key: string): Promise<SchemaModel | undefined>;
  set(key: string, model: SchemaModel): Promise<void>;
}

/** Bumped whenever introspection changes what it records, so old entries are not trusted. */
const MODEL_VERSION = 1;

/**
 * The applied set decides the expected schema: its migrations' tags and hashes in order, on a
 * given kind of scratch database (its server version prints the definitions).
 */
export function expectedSchemaKey(applied: Pick<Migration, 'tag' | 'hash'>[], scratchVersion: string): string {
  const hash = createHash('sha256');
  hash.update(`dbdeck-expected-schema/${MODEL_VERSION}\n${scratchVersion}\n`);
  for (const m of applied) hash.update(`${m.tag}\u0000${m.hash ?? ''}\n`);
  return hash.digest('hex');
}

/** In this process only; the oldest entry goes first beyond `limit`. */
export function memorySchemaCache(limit = 32): SchemaCache {
  const entries = new Map<string, SchemaModel>();
  return {
    async get(key) {
      const model = entries.get(key);
      if (model) {
        entries.delete(key);
        entries.set(key, model);
      }
      return model;
    },
    async set(key, model) {
      entries.set(key, model);
      while (entries.size > limit) entries.delete(entries.keys().next().value!);
    },
  };
}

/** JSON files in `dir` (the CLI's cache, shared by its runs), in front of a memory cache. */
export function fileSchemaCache(dir: string): SchemaCache {
  const memory = memorySchemaCache();
  const file = (key: string) => path.join(dir, `${key}.json`);
  return {
    async get(key) {
      const cached = await memory.get(key);
      if (cached) return cached;
      try {
        const model = JSON.parse(readFileSync(file(key), 'utf8')) as SchemaModel;
        await memory.set(key, model);
        return model;
      } catch {
        return undefined; // absent or unreadable: replay again
      }
    },
    async set(key, model) {
      await memory.set(key, model);
      mkdirSync(dir, { recursive: true });
      const temporary = `${file(key)}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify(model));
      renameSync(temporary, file(key));
    },
  };
}
