import { describe, expect, it } from 'vitest';
import { parseConfig } from './load-config';
import { parseDuration } from './apply-safety-config';

const config = (environment: Record<string, unknown>) => ({
  projects: [
    {
      name: 'shop',
      dialect: 'postgresql',
      migrations: './m',
      environments: [
        { name: 'staging', url: { env: 'S' } },
        { name: 'production', url: { env: 'P' }, protected: true, ...environment },
      ],
    },
  ],
});
const production = (environment: Record<string, unknown>) => parseConfig(config(environment), 'dbdeck.config.ts').projects[0]!.environments[1]!;
const staging = () => parseConfig(config({}), 'dbdeck.config.ts').projects[0]!.environments[0]!;

describe('lockTimeout, statementTimeout and lockRetries in dbdeck.config.ts', () => {
  it('protected environments default to a 5 s lock timeout and 3 retries; others wait as PostgreSQL does', () => {
    expect(production({})).toMatchObject({ lockTimeout: 5000, statementTimeout: null, lockRetries: 3 });
    expect(staging()).toMatchObject({ lockTimeout: null, statementTimeout: null, lockRetries: 0 });
  });

  it('takes milliseconds or a duration with a unit; false or 0 switches a timeout off', () => {
    expect(production({ lockTimeout: '800ms', statementTimeout: '2min', lockRetries: 0 })).toMatchObject({
      lockTimeout: 800,
      statementTimeout: 120_000,
      lockRetries: 0,
    });
    expect(production({ lockTimeout: 2500, statementTimeout: '1.5h' })).toMatchObject({ lockTimeout: 2500, statementTimeout: 5_400_000 });
    expect(production({ lockTimeout: false, statementTimeout: 0 })).toMatchObject({ lockTimeout: null, statementTimeout: null });
    expect(parseDuration('5s')).toEqual({ ok: true, ms: 5000 });
  });

  it.each([
    [{ lockTimeout: -5 }, 'lockTimeout', /-5 is negative/],
    [{ lockTimeout: '5 seconds' }, 'lockTimeout', /"5 seconds" is not a duration/],
    [{ statementTimeout: '-1s' }, 'statementTimeout', /"-1s" is negative/],
    [{ statementTimeout: true }, 'statementTimeout', /true is not a duration/],
    [{ lockRetries: -1 }, 'lockRetries', /-1 is not a whole number from 0 to 100/],
    [{ lockRetries: 1.5 }, 'lockRetries', /1.5 is not a whole number/],
  ])('%o is a configuration error naming the environment and the field', (environment, field, problem) => {
    const error = (() => {
      try {
        production(environment);
      } catch (e) {
        return e as Error & { code: string };
      }
    })();
    expect(error?.code).toBe('config');
    expect(error?.message).toContain(`projects.0.environments.1.${field}: environment "production": ${field}: `);
    expect(error?.message).toMatch(problem);
  });
});
