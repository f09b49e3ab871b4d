import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../tests/support/databases';
import { writeTeamProject } from '../../tests/support/team-project';
import { configFilePath, loadConfigFile } from './load-config-file';

const project = (migrations: string) => ({ name: 'app', dialect: 'postgresql', migrations, environments: [{ name: 'dev', url: { env: 'APP_DEV_URL' } }] });

describe('loading a dbdeck config at run time', () => {
  it('reads a team config outside the repository, importing only types from dbdeck, with folders relative to the file', async () => {
    const team = writeTeamProject();
    const config = await loadConfigFile(team.configFile);
    expect(config.file).toBe(team.configFile);
    expect(config.projects.map((p) => p.name)).toEqual(['billing', 'notes']);
    expect(config.projects[0]!.migrations).toBe(path.join(team.dir, 'drizzle'));
    expect(config.projects[0]!.migrationsSchema).toBe('billing_drizzle');
    expect(config.projects[1]!.seeds).toBe(path.join(team.dir, 'edge-seeds'));
    expect(config.projects[0]!.environments[1]).toMatchObject({ name: 'production', protected: true, requiredApprovals: 2 });
  });

  it.each([
    ['config.mjs', `export default ${JSON.stringify({ projects: [project('./m')] })};\n`],
    ['config.js', `module.exports = ${JSON.stringify({ projects: [project('./m')] })};\n`],
    ['config.json', JSON.stringify({ projects: [project('./m')] })],
  ])('reads %s', async (name, text) => {
    const dir = tempDir('dbdeck-config-');
    writeFileSync(path.join(dir, name), text);
    const config = await loadConfigFile(path.join(dir, name));
    expect(config.projects[0]!.migrations).toBe(path.join(dir, 'm'));
  });

  it('DBDECK_CONFIG names the file, relative to the working directory; else ./dbdeck.config.ts', () => {
    expect(configFilePath({ DBDECK_CONFIG: '../team/dbdeck.config.mjs' }, '/srv/dbdeck')).toBe('/srv/team/dbdeck.config.mjs');
    expect(configFilePath({ DBDECK_CONFIG: '/etc/dbdeck/config.json' }, '/srv/dbdeck')).toBe('/etc/dbdeck/config.json');
    expect(configFilePath({}, '/srv/dbdeck')).toBe('/srv/dbdeck/dbdeck.config.ts');
  });

  it('names the file when it is missing, has another extension, or does not compile', async () => {
    const dir = tempDir('dbdeck-config-');
    await expect(loadConfigFile(path.join(dir, 'nope.config.ts'))).rejects.toThrow(`cannot load ${path.join(dir, 'nope.config.ts')}: no such file`);
    writeFileSync(path.join(dir, 'config.yaml'), 'projects: []');
    await expect(loadConfigFile(path.join(dir, 'config.yaml'))).rejects.toThrow('a dbdeck config is a .ts, .mjs, .js or .json file');
    writeFileSync(path.join(dir, 'broken.config.ts'), 'export default { projects: [ };\n');
    await expect(loadConfigFile(path.join(dir, 'broken.config.ts'))).rejects.toThrow(`cannot load ${path.join(dir, 'broken.config.ts')}:`);
    writeFileSync(path.join(dir, 'broken.json'), '{ "projects": ');
    await expect(loadConfigFile(path.join(dir, 'broken.json'))).rejects.toThrow(`cannot load ${path.join(dir, 'broken.json')}:`);
  });

  it('names the file and the field of a config that does not validate: a URL written into it, a wrong type', async () => {
    const dir = tempDir('dbdeck-config-');
    mkdirSync(path.join(dir, 'm'));
    const file = path.join(dir, 'dbdeck.config.ts');
    writeFileSync(
      file,
      `export default { projects: [{ name: 'app', dialect: 'postgresql', migrations: './m', environments: [{ name: 'dev', url: 'postgres://u:secret@db/app' }, { name: 'prod', url: { env: 'P' }, requiredApprovals: 'two' }] }] };\n`,
    );
    const error = await loadConfigFile(file).then(
      () => new Error('loaded'),
      (e: Error) => e,
    );
    expect(error.message).toContain(`${file} is not a valid dbdeck config`);
    expect(error.message).toContain('projects.0.environments.0.url: must name an environment variable');
    expect(error.message).toContain('projects.0.environments.1.requiredApprovals:');
    expect(error.message, 'the URL is not echoed back').not.toContain('secret');
  });
});
