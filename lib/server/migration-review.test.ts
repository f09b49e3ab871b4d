import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleEnv, type ConsoleEnv } from '../../tests/support/console-env';
import { writeTeamProject } from '../../tests/support/team-project';
import { findMigration, tagOfRoute } from './migration-review';

/** A migration page is found by its tag whatever characters the tag holds: links encode them, the route hands them over encoded. */

const TAG = '0002_notes <draft> & more';

describe("a migration's page by its tag", () => {
  let env: ConsoleEnv;
  beforeAll(async () => {
    const team = writeTeamProject();
    team.addBillingMigration(TAG, 'CREATE TABLE "notes" ("id" serial PRIMARY KEY);');
    env = await startConsoleEnv({ DBDECK_CONFIG: team.configFile });
  });
  afterAll(() => env?.close());

  it('finds a tag with a space, < and & from its encoded route segment, as links write it', () => {
    const segment = encodeURIComponent(TAG);
    expect(findMigration('billing', 'development', segment).kind).toBe('not-found');
    const lookup = findMigration('billing', 'development', tagOfRoute(segment));
    expect(lookup.kind === 'found' && lookup.review.migration.tag).toBe(TAG);
  });

  it('leaves a segment that is not valid percent-encoding as it is', () => {
    expect(tagOfRoute('100%_done')).toBe('100%_done');
  });
});
