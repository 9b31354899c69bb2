// `npm start`: runs the bot from dist/, in this very process (a signal or a kill reaches the bot
// itself, and no child is left holding the port). dist/ is built first when it is missing or a
// source is newer than it, so a fresh clone still starts with this one command.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIST, build, stale } from './build.mjs';

if (stale()) {
  process.stderr.write('Building dist/ from the sources (they changed since the last build)…\n');
  const ms = await build({ always: false });
  process.stderr.write(ms === undefined ? 'built by another process meanwhile\n' : `built in ${(ms / 1000).toFixed(1)} s\n`);
}

// Run by npm (npm → sh → this process), a stop of npm would leave the bot running without it,
// holding the port: npm passes no signal on. So the bot stops itself, as on SIGTERM, once npm (or
// the shell between) is gone.
if (process.env.npm_lifecycle_event === 'start') {
  const parentOf = (pid) => {
    try {
      // /proc/<pid>/stat: "pid (name) state ppid …"
      return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1]);
    } catch {
      return undefined;
    }
  };
  const parent = process.ppid;
  const grandparent = parentOf(parent);
  const watch = setInterval(() => {
    if (process.ppid === parent && parentOf(parent) === grandparent) return;
    clearInterval(watch);
    process.kill(process.pid, 'SIGTERM');
  }, 500);
  watch.unref();
}

await import(pathToFileURL(join(DIST, 'bot', 'main.js')).href);
