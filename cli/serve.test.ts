import { writeFileSync } from 'node:fs';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { dbdeck } from '../tests/support/cli';
import { freshPostgres } from '../tests/support/databases';
import { writeTeamProject } from '../tests/support/team-project';

describe('dbdeck serve refuses to start without what a team console needs', () => {
  it('names each missing variable, and creates nothing', async () => {
    const team = writeTeamProject();
    const neither = await dbdeck(['serve'], { DBDECK_CONFIG: team.configFile, DBDECK_DATABASE_URL: '', AUTH_SECRET: '', PORT: '1' });
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('dbdeck serve needs DBDECK_DATABASE_URL and AUTH_SECRET; nothing was started');
    expect(neither.stderr).toContain('DBDECK_DATABASE_URL is not set: the control store');
    expect(neither.stderr).toContain('AUTH_SECRET is not set: signs session cookies');

    const control = await freshPostgres();
    try {
      const noSecret = await dbdeck(['serve'], { DBDECK_CONFIG: team.configFile, DBDECK_DATABASE_URL: control.url, AUTH_SECRET: '', PORT: '1' });
      expect(noSecret.code).toBe(2);
      expect(noSecret.stderr).toContain('dbdeck serve needs AUTH_SECRET;');
      expect(noSecret.stderr).not.toContain('DBDECK_DATABASE_URL is not set');
      const sql = postgres(control.url, { max: 1, onnotice: () => {} });
      const [found] = await sql`select to_regclass('dbdeck.users') as t`;
      await sql.end();
      expect(found!.t, 'the control store was left alone').toBeNull();
    } finally {
      await control.cleanup();
    }
  });

  it('refuses an AUTH_SECRET shorter than 32 bytes, naming the variable and how to make one, and touches nothing', async () => {
    const team = writeTeamProject();
    const control = await freshPostgres();
    try {
      for (const secret of ['x', 'y'.repeat(31)]) {
        const run = await dbdeck(['serve'], { DBDECK_CONFIG: team.configFile, DBDECK_DATABASE_URL: control.url, AUTH_SECRET: secret, PORT: '1' });
        expect(run.code).toBe(2);
        expect(run.stderr).toContain(`AUTH_SECRET is ${secret.length} byte`);
        expect(run.stderr).toContain('must be at least 32 bytes of random: make one with `openssl rand -base64 32`');
        if (secret.length > 1) expect(run.stderr, 'the secret itself is not printed').not.toContain(secret);
      }
      const sql = postgres(control.url, { max: 1, onnotice: () => {} });
      const [found] = await sql`select to_regclass('dbdeck.users') as t`;
      await sql.end();
      expect(found!.t, 'the control store was left alone').toBeNull();
    } finally {
      await control.cleanup();
    }
    // 32 bytes pass this check: what stops this run is the config, read next.
    writeFileSync(team.configFile, `export default { projects: [] };\n`);
    const enough = await dbdeck(['serve'], {
      DBDECK_CONFIG: team.configFile,
      DBDECK_DATABASE_URL: 'postgres://127.0.0.1:1/none',
      AUTH_SECRET: 'z'.repeat(32),
      PORT: '1',
    });
    expect(enough.stderr).not.toContain('AUTH_SECRET');
  });

  it('names the config file and the field of a config that does not validate', async () => {
    const team = writeTeamProject();
    writeFileSync(
      team.configFile,
      `export default { projects: [{ name: 'billing', dialect: 'mysql', migrations: './drizzle', environments: [{ name: 'development', url: { env: 'X' } }] }] };\n`,
    );
    const run = await dbdeck(['serve', '--config', team.configFile], {
      DBDECK_DATABASE_URL: 'postgres://127.0.0.1:1/none',
      AUTH_SECRET: 'x'.repeat(40),
      PORT: '1',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${team.configFile} is not a valid dbdeck config`);
    expect(run.stderr).toContain('projects.0.dialect:');
  });

  it('a PORT that is not a port number is named', async () => {
    const run = await dbdeck(['serve'], { DBDECK_DATABASE_URL: 'postgres://127.0.0.1:1/none', AUTH_SECRET: 'x'.repeat(40), PORT: 'eighty' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('PORT must be a port number (1–65535), got "eighty"');
  });
});
