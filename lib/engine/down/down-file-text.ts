import { BREAKPOINT } from '../sql-text';
import type { DownDraft } from './draft-down';

/**
 * A draft as a down file, in drizzle-kit's layout (pieces between statement breakpoints), each
 * destructive statement preceded by a comment saying what it loses, so the reviewer of the commit
 * sees it where it happens.
 */
export function downFileText(draft: DownDraft): string {
  const pieces = draft.statements.map((statement) => {
    const warning = statement.destructive ? `-- destructive: ${statement.destructive.replace(/\s+/g, ' ')}\n` : '';
    return `${warning}${statement.sql}`;
  });
  return `${pieces.join(`\n${BREAKPOINT}\n`)}\n`;
}
