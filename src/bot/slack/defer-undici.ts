/**
 * Bolt loads its Socket Mode client whenever Bolt is loaded, and that client loads undici (for its
 * websocket) at once: about 17 MB of an idle bot's 95 MB, in HTTP mode, which never opens a
 * websocket. Imported before Bolt (first in slack-app.ts), this module puts in undici's place a
 * stand-in that loads the real undici the first time Socket Mode touches any of it: HTTP mode
 * never loads it, and Socket Mode gets the very module it asked for, a moment later.
 */
import { createRequire, Module } from 'node:module';

const fromSocketMode = createRequire(createRequire(import.meta.url).resolve('@slack/socket-mode/package.json'));
const path = fromSocketMode.resolve('undici');

let standIn: Module | undefined;
if (!fromSocketMode.cache[path]) {
  let real: object | undefined;
  const load = (): object => {
    if (!real) {
      // the stand-in leaves the cache; the real module takes its place there, for anyone after
      delete fromSocketMode.cache[path];
      real = fromSocketMode(path) as object;
    }
    return real;
  };
  standIn = new Module(path);
  standIn.filename = path;
  standIn.loaded = true;
  standIn.exports = new Proxy(
    {},
    {
      get: (_, key) => Reflect.get(load(), key),
      has: (_, key) => Reflect.has(load(), key),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_, key) => {
        const d = Reflect.getOwnPropertyDescriptor(load(), key);
        // a proxy may not report a property as fixed that its own target does not have
        return d && { ...d, configurable: true };
      },
    },
  );
  fromSocketMode.cache[path] = standIn;
}

/** whether the real undici is loaded (by Socket Mode, or by anything else in the process) */
export const undiciLoaded = (): boolean => {
  const cached = fromSocketMode.cache[path];
  return cached !== undefined && cached !== standIn;
};
