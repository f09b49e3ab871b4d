import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Holds `lock` (a folder: creating one is atomic) for the rest of this process, waiting while
 * another live process holds it; a lock left by a process that died is taken over. `waiting`
 * says what the wait is for, printed every ten seconds with the holder's pid.
 */
export function holdProcessLock(lock: string, waiting: string): void {
  mkdirSync(path.dirname(lock), { recursive: true });
  const sleep = new Int32Array(new SharedArrayBuffer(4));
  for (let waited = 0; ; waited += 500) {
    try {
      mkdirSync(lock);
      writeFileSync(path.join(lock, 'pid'), String(process.pid));
      process.once('exit', () => rmSync(lock, { recursive: true, force: true }));
      return;
    } catch {
      const holder = Number(existsSync(path.join(lock, 'pid')) ? readFileSync(path.join(lock, 'pid'), 'utf8') : 0);
      if (holder && !alive(holder)) rmSync(lock, { recursive: true, force: true });
      else if (waited % 10_000 === 0) console.log(`waiting for ${waiting} (pid ${holder}) to finish…`);
      Atomics.wait(sleep, 0, 0, 500);
    }
  }
}
