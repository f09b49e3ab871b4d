import { startCountingProxy, throughProxy, type CountingProxy } from './counting-proxy';
import { freshPostgres } from './databases';
import { startTestSqld, type Transport } from './sqld';

export type ProxiedTarget = 'postgres' | Transport;

/**
 * A fresh database — PostgreSQL, or a local libSQL server over http or ws — reached through a
 * counting proxy that delays each client packet 20 ms. Its URL goes through the proxy; what it
 * started is stopped by the functions it pushes onto `cleanups`.
 */
export async function proxiedDatabase(target: ProxiedTarget, cleanups: (() => Promise<void>)[]): Promise<{ url: string; proxy: CountingProxy }> {
  let url: string;
  let port: number;
  if (target === 'postgres') {
    const db = await freshPostgres();
    cleanups.push(db.cleanup);
    url = db.url;
    port = Number(new URL(url).port);
  } else {
    const sqld = await startTestSqld();
    cleanups.push(sqld.stop);
    url = sqld.url(target);
    port = sqld.server.port;
  }
  const proxy = await startCountingProxy({ port }, { delayMs: 20 });
  cleanups.push(proxy.close);
  return { url: throughProxy(url, proxy), proxy };
}
