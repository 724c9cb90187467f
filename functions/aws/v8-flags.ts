// The V8 flags Lambda's Node bootstrap passes (scripts/lambda-runtime.mjs: --expose-gc and the heap sizes it
// derives from the function's memory), each set back to V8's default by a package's index.mjs before it reads any
// code cache. V8 checks every code cache against the flags in force, so under Lambda's it refuses the cache Node
// ships for its own built-in modules, and every built-in a function loads compiles from source (the API package
// loads about 100 on a cold request). The flags only size the heap and expose gc(), which V8 did before any JavaScript
// ran: set back afterwards, they change neither (the package test compares the heap's limits and gc() before and
// after), Node's cache is taken for every built-in loaded from then on, and the package's own app.cache, made after
// the same reset, fits whatever memory the function is given. Should the bootstrap pass another V8 flag one day, the
// built-ins compile from source again, as before this reset, and app.cache is refused with one line in the log.
// The reset holds for the function's own isolate: a worker_threads Worker started after it would get V8's default
// heap and no gc() (the functions start none; one that did would set resourceLimits).
export const LAMBDA_V8_FLAG_DEFAULTS = [
  '--no-expose-gc',
  '--max-semi-space-size=0',
  '--max-old-space-size=0',
];

/** A flag's name without dashes, `no-` or value: `expose-gc`, `max-old-space-size`. */
export function flagName(flag: string): string {
  // V8 takes `_` and `-` alike.
  return (/^--(?:no-)?([^=]+)/.exec(flag)?.[1] ?? flag).replaceAll('_', '-');
}
