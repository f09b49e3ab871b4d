import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import { startSqld } from '../lib/embedded/sqld';
import { startThrowawayServer } from '../scripts/throwaway-postgres';
import { startCountingProxy, throughProxy } from '../tests/support/counting-proxy';
import { dbdeck } from '../tests/support/cli';
import { writeCorpus } from '../bench/corpus';
import { drizzleMigrate } from '../tests/support/inspect';
import { connect } from '../lib/engine';

const work = mkdtempSync(path.join(os.tmpdir(), 'lat2-'));
const N = Number(process.env.N ?? 30);
for (const kind of (process.env.KINDS ?? 'http,ws,postgres').split(',')) {
  let url: string, port: number, stop: () => Promise<unknown>;
  if (kind === 'postgres') { const pg = await startThrowawayServer(); url = pg.url; port = Number(new URL(url).port); stop = pg.stop; }
  else { const s = await startSqld(); url = kind === 'http' ? s.httpUrl : s.wsUrl; port = s.port; stop = s.stop; }
  const folder = writeCorpus(path.join(work, kind), kind === 'postgres' ? 'postgresql' : 'sqlite', N);
  const proxy = await startCountingProxy({ port }, { delayMs: 20 });
  const target = ['--dialect', kind === 'postgres' ? 'postgresql' : 'turso', '--url', throughProxy(url, proxy), '--migrations', folder];
  const out: Record<string, unknown> = {};
  for (const cmd of ['status', 'plan', 'migrate', 'migrate', 'status', 'check']) {
    proxy.reset();
    const t = performance.now();
    const r = await dbdeck([cmd, '--json', ...target]);
    if (process.env.TURNS) console.log(cmd, proxy.turns().map(t => t.connection + " " + t.sent.replace(/[^\x20-\x7e]/g, ".").slice(0, 300)));
    out[cmd + (out[cmd] ? "2" : "")] = { ...proxy.counts(), ms: Math.round(performance.now() - t), code: r.code, err: r.code ? r.stderr.slice(0, 300) : undefined };
  }
  console.log(kind, JSON.stringify(out, null, 1));
  await proxy.close(); await stop();
}
process.exit(0);
