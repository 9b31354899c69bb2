import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
const sources = files(join(root, 'src')).map((p) => ({ path: relative(root, p), text: readFileSync(p, 'utf8') }));
const imports = (text: string) => [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]!);

describe('the layers (ARCHITECTURE.md)', () => {
  it('keeps every botbuilder import inside src/bot/teams and src/handlers/teams, so a move to its successor touches only those', () => {
    const outside = sources.filter((s) => imports(s.text).some((i) => /^(botbuilder|botframework-)/.test(i)) && !/^src\/(bot|handlers)\/teams\//.test(s.path));
    expect(outside.map((s) => s.path)).toEqual([]);
    expect(sources.some((s) => imports(s.text).some((i) => i.startsWith('botbuilder')))).toBe(true);
  });

  it('the domain imports nothing from the layers above it, nor any chat SDK', () => {
    const bad = sources
      .filter((s) => s.path.startsWith('src/domain/'))
      .flatMap((s) => imports(s.text).filter((i) => /\/(bot|handlers|db)\//.test(i) || /^(@slack|botbuilder|drizzle-orm|better-sqlite3|express)/.test(i)).map((i) => `${s.path}: ${i}`));
    expect(bad).toEqual([]);
  });

  it('handlers never import from src/bot, and nothing below main.ts reads process.env', () => {
    const up = sources.filter((s) => s.path.startsWith('src/handlers/')).flatMap((s) => imports(s.text).filter((i) => i.includes('/bot/')).map((i) => `${s.path}: ${i}`));
    expect(up).toEqual([]);
    const env = sources.filter((s) => s.text.includes('process.env') && !/src\/bot\/(main|config)\.ts$/.test(s.path)).map((s) => s.path);
    expect(env).toEqual([]);
  });
});
