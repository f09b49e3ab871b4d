/** Formatting shared by the pages, the CLI and the engine's messages: durations and dates. */

/** A measured duration (a statement, a step, a latency): `3.2 ms`, `640 ms`, `12.5 s`; `—` when unknown. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 10_000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

export function formatDateTime(value: Date | string | number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return new Date(value).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
}

/** A duration as people say it, for settings and waits: `800 ms`, `5 s`, `2.5 min`, `3 h`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${trim(ms / 1000)} s`;
  if (ms < 3_600_000) return `${trim(ms / 60_000)} min`;
  return `${trim(ms / 3_600_000)} h`;
}

const trim = (value: number) => String(Number(value.toFixed(1)));

/** Time running so far, as a ticking clock shows it: `640 ms`, `12.5 s`, `3 min 7 s`. */
export function formatElapsed(ms: number): string {
  if (ms < 1000) return formatMs(Math.max(0, ms));
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.floor(seconds % 60)} s`;
}
