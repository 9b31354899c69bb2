import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// every file the repository carries (tracked, or new and not ignored): what a clone would hold
const carried = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' })
  .split('\0')
  .filter((p) => p !== '')
  .filter((p) => {
    try {
      return statSync(resolve(root, p)).isFile();
    } catch {
      return false; // deleted in the work tree, not yet in the index
    }
  });
const texts = carried
  .filter((p) => !/\.(png|jpe?g|ico|br|tar|gz)$/i.test(p))
  .map((p) => ({ path: p, text: readFileSync(resolve(root, p), 'utf8') }));

describe('a clone carries everything it needs', () => {
  it('no file refers to the shared folder beside the repository', () => {
    // built from parts, so that this file does not contain what it looks for
    const folder = ['sha', 'red'].join('');
    const sibling = new RegExp(`\\.\\./${folder}\\b|/work/${folder}\\b`);
    expect(sibling.test(`see ../${folder}/ARCHITECTURE.md`)).toBe(true);
    const offenders = texts.filter((t) => sibling.test(t.text)).map((t) => t.path);
    expect(texts.length).toBeGreaterThan(50);
    expect(offenders).toEqual([]);
  });

  it('the README links to the architecture inside the project, and every relative link in it resolves', () => {
    const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
    expect(readme).toContain('](docs/ARCHITECTURE.md)');
    const links = [...readme.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/i.test(l));
    expect(links.length).toBeGreaterThan(0);
    const missing = links.filter((l) => {
      try {
        statSync(resolve(root, l));
        return false;
      } catch {
        return true;
      }
    });
    expect(missing).toEqual([]);
  });

  it('the Slack manifest schema the tests validate against is vendored with its license', () => {
    for (const f of ['manifest.schema.2.0.0.json', 'LICENSE', 'README.md']) {
      expect(statSync(resolve(root, 'test/fixtures/schemas/slack-manifest', f)).size).toBeGreaterThan(100);
    }
    expect(readFileSync(resolve(root, 'test/fixtures/schemas/slack-manifest/LICENSE'), 'utf8')).toMatch(/MIT License/);
  });
});
