import 'server-only';
import { draftDown, draftInputsKey, type DownDraft, type Migration, type MigrationSet } from '@/lib/engine';

/** Drafts kept by what they are made of: a drizzle 1.0 draft runs drizzle-kit in a child process (about 0.7 s). */
const drafts = new Map<string, Promise<DownDraft>>();
const LIMIT = 500;

/** The draft of `migration` as draftDown makes it, made again only when its SQL or a snapshot it reads changed. */
export function cachedDraft(set: MigrationSet, migration: Migration): Promise<DownDraft> {
  const key = draftInputsKey(set, migration);
  let draft = drafts.get(key);
  if (!draft) {
    if (drafts.size >= LIMIT) drafts.clear();
    draft = draftDown(set, migration.tag);
    drafts.set(key, draft);
    draft.catch(() => drafts.delete(key));
  }
  return draft;
}
