// The entry of the SQLite reader thread of `dbdeck copy` (see sqlite-worker-reader.ts). A worker
// thread starts without the TypeScript loader of the thread that made it (tsx in the CLI, vitest,
// the console's server): register tsx here, from dbdeck's own node_modules, then run the worker.
import { register } from 'tsx/esm/api';

register();
await import('./sqlite-copy-worker.ts');
