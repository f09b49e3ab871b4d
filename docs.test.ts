import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dbdeck } from './tests/support/cli';

/**
 * The documentation a newcomer reads: README.md and docs/*.md. Its links lead somewhere, its two
 * commands are the ones that work, and the CLI reference says what `dbdeck --help` says.
 */

const root = import.meta.dirname;
const PAGES = [
  'README.md',
  ...readdirSync(path.join(root, 'docs'), { withFileTypes: true }).flatMap((e) => (e.isFile() && e.name.endsWith('.md') ? [`docs/${e.name}`] : [])),
];
const read = (page: string) => readFileSync(path.join(root, page), 'utf8');

/** The page without its fenced code blocks: links and headings inside them are examples, not links. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, each space a hyphen; repeats get -1, -2… */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const [, text = ''] of prose(markdown).matchAll(/^#{1,6} +(.+?) *#* *$/gm)) {
    const plain = text.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[`*]/g, '');
    const slug = plain
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/ /g, '-');
    let anchor = slug;
    for (let n = 1; anchors.has(anchor); n += 1) anchor = `${slug}-${n}`;
    anchors.add(anchor);
  }
  return anchors;
}

/** Every relative link and image of a page, outside code: `[text](target)`. */
function relativeLinks(markdown: string): string[] {
  const withoutInlineCode = prose(markdown).replace(/`[^`\n]*`/g, '');
  return [...withoutInlineCode.matchAll(/\]\(([^)\s]+)(?: "[^"]*")?\)/g)].map((m) => m[1]!).filter((target) => !/^[a-z][a-z+.-]*:/i.test(target));
}

describe('the documentation', () => {
  it('has an index in docs/ that links every page there', () => {
    const index = read('docs/README.md');
    const linked = new Set(relativeLinks(index).map((target) => target.split('#')[0]));
    const unlinked = PAGES.filter((page) => page.startsWith('docs/') && page !== 'docs/README.md' && !linked.has(path.basename(page)));
    expect(unlinked).toEqual([]);
  });

  it('every relative link in README.md and docs/*.md leads to a file that exists, and to a heading there', () => {
    const broken: string[] = [];
    for (const page of PAGES) {
      for (const target of relativeLinks(read(page))) {
        const [file = '', anchor] = target.split('#');
        const resolved = file === '' ? path.join(root, page) : path.resolve(path.dirname(path.join(root, page)), decodeURIComponent(file));
        if (!existsSync(resolved)) broken.push(`${page}: ${target} (no such file)`);
        else if (anchor !== undefined && resolved.endsWith('.md') && !anchorsOf(readFileSync(resolved, 'utf8')).has(anchor))
          broken.push(`${page}: ${target} (no heading with that anchor)`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('finds a broken link and a missing anchor (the check itself)', () => {
    expect(relativeLinks('see [a](docs/a.md#b), [web](https://example.com), `[not](code.md)` and ![img](i.png)')).toEqual(['docs/a.md#b', 'i.png']);
    expect([...anchorsOf('# The CLI\n## `init`\n## drizzle 1.0 migrations\n## Applying safely (PostgreSQL)\n## init\n```\n# not a heading\n```')]).toEqual([
      'the-cli',
      'init',
      'drizzle-10-migrations',
      'applying-safely-postgresql',
      'init-1',
    ]);
  });

  it("README's Quick start gives exactly the two commands", () => {
    const readme = read('README.md');
    const quickStart = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('\n## ', readme.indexOf('## Quick start') + 1));
    expect([...quickStart.matchAll(/^```sh\n([^\n]*)\n```$/gm)].map((m) => m[1])).toEqual(['npm install && npm start', 'npm install && npm test']);
  });
});

describe('docs/cli.md and `dbdeck --help`', () => {
  const reference = read('docs/cli.md');
  /** `dbdeck X` and `dbdeck X Y` as written in the reference's code (fenced blocks and `inline`). */
  const referenceCode =
    [...reference.matchAll(/^(```|~~~)[^\n]*\n([\s\S]*?)^\1[ \t]*$/gm)].map((m) => m[2]!).join('\n') +
    [...prose(reference).matchAll(/`([^`\n]+)`/g)].map((m) => `\n${m[1]}`).join('');
  const invocations = [...referenceCode.matchAll(/\bdbdeck ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?/g)].map((m) => ({ command: m[1]!, word: m[2] }));

  let commands: Map<string, Set<string>>;
  let helpTexts: { command: string; text: string }[];

  beforeAll(async () => {
    const main = await dbdeck(['--help']);
    expect(main.code, main.stderr).toBe(0);
    // "Commands:" lists one command per line at two spaces; a second word that is not an option is a subcommand (users add).
    const section = main.stdout.slice(main.stdout.indexOf('\nCommands:\n'), main.stdout.indexOf('\n\n', main.stdout.indexOf('\nCommands:\n') + 1));
    commands = new Map();
    for (const [, line = ''] of section.matchAll(/^ {2}([a-z].*)$/gm)) {
      // The description starts after two or more spaces; `users disable --email E, users enable --email E` names two.
      for (const part of line.split(/ {2,}/)[0]!.split(/,\s*/)) {
        const [command = '', second] = part.trim().split(/\s+/);
        if (!/^[a-z][a-z-]*$/.test(command)) continue;
        const subcommands = commands.get(command) ?? new Set<string>();
        if (second && /^[a-z][a-z-]*$/.test(second)) subcommands.add(second);
        commands.set(command, subcommands);
      }
    }
    helpTexts = [{ command: '', text: main.stdout }];
    const names = [...commands.keys()];
    // Three at a time: each run starts a Node process, and the machine is shared.
    for (let i = 0; i < names.length; i += 3) {
      const runs = await Promise.all(names.slice(i, i + 3).map(async (command) => ({ command, run: await dbdeck([command, '--help']) })));
      for (const { command, run } of runs) {
        expect(run.code, `dbdeck ${command} --help: ${run.stderr}`).toBe(0);
        helpTexts.push({ command, text: run.stdout });
      }
    }
  }, 180_000);

  it('reads the commands off the help (the check has something to check)', () => {
    expect([...commands.keys()]).toEqual(
      expect.arrayContaining(['status', 'migrate', 'rollback', 'lint', 'check', 'copy', 'users', 'worker', 'init', 'serve']),
    );
    expect([...commands.get('users')!]).toEqual(expect.arrayContaining(['add', 'list', 'tokens']));
  });

  it('documents every command and subcommand the help lists, as `dbdeck <command>`', () => {
    const documented = new Set(invocations.map((i) => i.command));
    const documentedSub = new Set(invocations.map((i) => `${i.command} ${i.word}`));
    const missing = [...commands].flatMap(([command, subcommands]) => [
      ...(documented.has(command) ? [] : [command]),
      ...[...subcommands].filter((sub) => !documentedSub.has(`${command} ${sub}`)).map((sub) => `${command} ${sub}`),
    ]);
    expect(missing).toEqual([]);
  });

  it('documents every option that `dbdeck --help` and each command’s help list', () => {
    const missing = new Set<string>();
    for (const { command, text } of helpTexts)
      for (const [option] of text.matchAll(/(?<![\w-])--[a-z][a-z-]*/g))
        if (!new RegExp(`(?<![\\w-])${option}(?![\\w-])`).test(reference))
          missing.add(`${option} (dbdeck ${command} --help)`.replace('dbdeck  --help', 'dbdeck --help'));
    expect([...missing]).toEqual([]);
  });

  it('names no command or subcommand that does not exist', () => {
    const unknown = invocations.flatMap(({ command, word }) => {
      if (!commands.has(command)) return [`dbdeck ${command}`];
      const subcommands = commands.get(command)!;
      return subcommands.size > 0 && word !== undefined && !subcommands.has(word) ? [`dbdeck ${command} ${word}`] : [];
    });
    expect([...new Set(unknown)]).toEqual([]);
  });
});
