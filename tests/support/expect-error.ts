import { expect } from 'vitest';
import { DbdeckError, type DbdeckErrorCode } from '../../lib/engine/errors';

/** `run` throws a DbdeckError of this code whose message matches: the refusal a user would see. */
export function expectDbdeckError(run: () => unknown, code: DbdeckErrorCode, pattern: RegExp): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(DbdeckError);
  expect((caught as DbdeckError).code).toBe(code);
  expect((caught as DbdeckError).message).toMatch(pattern);
}
