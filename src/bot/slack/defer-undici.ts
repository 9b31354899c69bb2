/**
 * Bolt loads its Socket Mode client whenever Bolt is loaded, and that client loads undici (for its
 * websocket) at once: about 17 MB of an idle bot's 95 MB, in HTTP mode, which never opens a
 * websocket. Imported before Bolt (first in slack-app.ts), this module puts in undici's place a
 * stand-in that loads the real undici the first time Socket Mode touches any of it: HTTP mode
 * never loads it, and Socket Mode gets the very module it asked for, a moment later.
 */
import { createRequire, Module } from 'node:module';

// undici as Bolt's own Socket Mode client resolves it (wherever the package manager put each)
let fromSocketMode: NodeRequire | undefined;
let path = '';
try {
  const fromBolt = createRequire(createRequire(import.meta.url).resolve('@slack/bolt'));
  fromSocketMode = createRequire(fromBolt.resolve('@slack/socket-mode'));
  path = fromSocketMode.resolve('undici');
} catch {
  // laid out some other way: nothing is deferred, and everything works as before
  fromSocketMode = undefined;
}

let standIn: Module | undefined;
if (fromSocketMode && !fromSocketMode.cache[path]) {
  const req = fromSocketMode;
  let real: object | undefined;
  const load = (): object => {
    if (!real) {
      // the stand-in leaves the cache; the real module takes its place there, for anyone after
      delete req.cache[path];
      real = req(path) as object;
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
      // what is written (a test's stub, an instrumentation's patch) goes to the real module
      set: (_, key, value) => Reflect.set(load(), key, value),
      defineProperty: (_, key, d) => Reflect.defineProperty(load(), key, d),
      deleteProperty: (_, key) => Reflect.deleteProperty(load(), key),
      has: (_, key) => Reflect.has(load(), key),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_, key) => {
        const d = Reflect.getOwnPropertyDescriptor(load(), key);
        // a proxy may not report a property as fixed that its own target does not have
        return d && { ...d, configurable: true };
      },
    },
  );
  req.cache[path] = standIn;
}

/** whether the real undici is loaded (by Socket Mode, or by anything else in the process) */
export const undiciLoaded = (): boolean => {
  const cached = fromSocketMode?.cache[path];
  return cached !== undefined && cached !== standIn;
};
