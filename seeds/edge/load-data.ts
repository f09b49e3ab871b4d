/**
 * The edge's `load` rows, for performance work: a million page views in a hundred thousand
 * sessions over the ninety days before BASE_TIME, on the demo's five sites. Every row is a pure
 * function of its index (its own PRNG, seeded by the index), so batches are generated one at a
 * time. Ids live apart from the demo's: sessions `ses_ld_…`, page views from 1,000,001.
 */
import { BASE_TIME, COUNTRIES, DEVICES, REFERRERS, SITES, weightedSite } from './data';
import { rowRandom } from '../support/random';

export interface LoadSize {
  sessions: number;
  pageViews: number;
}

/** The full `load` profile. */
export const LOAD_SIZE: LoadSize = { sessions: 100_000, pageViews: 1_000_000 };

export function loadSize(scale: number): LoadSize {
  return { sessions: Math.max(1, Math.round(LOAD_SIZE.sessions * scale)), pageViews: Math.max(1, Math.round(LOAD_SIZE.pageViews * scale)) };
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const HISTORY_DAYS = 90;
const FIRST_PAGE_VIEW_ID = 1_000_001;
const SEED = { sessions: 0x1d5e, pageViews: 0x1d9e } as const;

/** Timestamps are whole seconds (drizzle's `mode: 'timestamp'`). */
const seconds = (ms: number) => Math.floor(ms / 1000);

/** [id, site_id, device, country, started_at, ended_at] */
export type LoadSessionRow = [string, number, string, string | null, number, number];
/** [id, site_id, session_id, path, referrer, country, viewed_at] */
export type LoadPageViewRow = [number, number, string | null, string, string | null, string | null, number];

export const loadSessionId = (i: number) => `ses_ld_${String(i + 1).padStart(7, '0')}`;

export function loadSession(i: number, size: LoadSize): LoadSessionRow {
  const rng = rowRandom(SEED.sessions, i);
  const startedAt = BASE_TIME - HISTORY_DAYS * DAY + Math.floor((i * HISTORY_DAYS * DAY) / size.sessions) + rng.int(0, 180) * MINUTE;
  return [loadSessionId(i), weightedSite(rng.next()), rng.pick(DEVICES), rng.pick(COUNTRIES), seconds(startedAt), seconds(startedAt + rng.int(1, 45) * MINUTE)];
}

export function loadPageView(i: number, size: LoadSize): LoadPageViewRow {
  const rng = rowRandom(SEED.pageViews, i);
  const id = FIRST_PAGE_VIEW_ID + i;
  if (rng.chance(0.15)) {
    // A view without a session (a crawler, or tracking consent not given).
    const siteId = weightedSite(rng.next());
    return [
      id,
      siteId,
      null,
      rng.pick(SITES[siteId - 1]!.paths),
      rng.pick(REFERRERS),
      rng.pick(COUNTRIES),
      seconds(BASE_TIME - rng.int(1, HISTORY_DAYS * 24 * 60) * MINUTE),
    ];
  }
  // Consecutive views share a session, as a visit's pages do.
  const [sessionId, siteId, , country, startedAt] = loadSession(Math.floor((i * size.sessions) / size.pageViews), size);
  return [id, siteId, sessionId, rng.pick(SITES[siteId - 1]!.paths), rng.pick(REFERRERS), country, startedAt + rng.int(0, 40) * 60];
}
