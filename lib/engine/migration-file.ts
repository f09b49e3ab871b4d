import { closeSync, constants, lstatSync, openSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { DbdeckError, messageOf } from './errors';

/**
 * Reading a file of a migrations folder, and nothing outside it. A migration file is shown to
 * every role (its page highlights the SQL, a parse error quotes it, `dbdeck lint` prints it), so a
 * symbolic link to `.data/postgres.json`, the auth secret or `/etc/passwd` would hand that file to
 * anyone who can read a migration. A file whose real path leaves the folder is refused, naming the
 * file (not where it leads), before any byte of it is read; so is anything that is not a regular
 * file (a FIFO would hang the read, a device would never end). Links inside the folder are fine.
 */

/**
 * Whether `file` is a regular file under `folder` with no link on the way down from it: then its
 * real path is inside the folder's, whatever the folder's own path holds. An lstat per level
 * below the folder, instead of resolving both paths from the root for every file of a set.
 */
function plainlyInside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  if (relative === '' || path.isAbsolute(relative)) return false;
  const parts = relative.split(path.sep);
  if (parts.includes('..')) return false;
  let at = folder;
  for (const [i, part] of parts.entries()) {
    at = path.join(at, part);
    const stats = lstatSync(at, { throwIfNoEntry: false });
    if (!stats || (i < parts.length - 1 ? !stats.isDirectory() : !stats.isFile())) return false;
  }
  return true;
}

/** Throws unless `file`, with every link resolved, is a regular file inside `folder`. */
export function assertInsideFolder(file: string, folder: string): void {
  if (plainlyInside(file, folder)) return;
  let real: string;
  let realFolder: string;
  try {
    // The native realpath(3): Node's own walks the path in JavaScript, an lstat per component.
    realFolder = realpathSync.native(folder);
    real = realpathSync.native(file);
  } catch (error) {
    throw new DbdeckError('journal', `${file}: cannot be read (${messageOf(error)})`, { file, cause: error });
  }
  const relative = path.relative(realFolder, real);
  if (relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    throw new DbdeckError(
      'journal',
      `${file}: is a symbolic link that leads out of the migrations folder ${folder}; dbdeck does not read it. Put the file itself in the folder.`,
      { file },
    );
  }
  if (!statSync(real).isFile()) {
    throw new DbdeckError('journal', `${file}: is not a regular file; dbdeck reads only regular files in the migrations folder ${folder}.`, { file });
  }
}

/**
 * The bytes of a file of the migrations folder `folder` (see assertInsideFolder). A file found
 * plainly inside is opened refusing a link (O_NOFOLLOW), so that one swapped in after the check
 * is not followed out of the folder; it is then checked again as any other file.
 */
export function readMigrationFile(file: string, folder: string): Buffer {
  if (plainlyInside(file, folder)) {
    try {
      const fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
      try {
        return readFileSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch {
      // Gone, or a link now: the checks below say which.
    }
  }
  assertInsideFolder(file, folder);
  try {
    return readFileSync(file);
  } catch (error) {
    throw new DbdeckError('journal', `${file}: cannot be read (${messageOf(error)})`, { file, cause: error });
  }
}
