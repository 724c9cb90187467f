// The node options `guides serve` runs under, however it is started: `npm start` passes them (package.json, checked
// by a test), the benchmarks too, and bin/guides.js starts the server with them when they were not given.
// An uncapped V8 lets the main heap grow lazily under request churn (RSS 280 → 430 MB in a minute, still rising);
// capped, it collects sooner. The young generation's semi-spaces, 16 MB each by default, are filled by every burst
// of requests and stay resident: 2 MB holds a request's garbage, costs scavenges of a few hundred microseconds, and
// keeps ~30 MB off the server's resident set (bench/soak.ts).
export const SERVE_NODE_OPTIONS = ['--max-old-space-size=128', '--max-semi-space-size=2'];

/**
 * The environment `guides serve` runs under, likewise. glibc's malloc gives threads that allocate at once arenas of
 * their own (the render threads, the thread that validates, libuv's pool), and memory freed in each stays resident
 * there; one arena keeps the resident set lower (`npm run bench`'s batch: peak 245–249 MB against 256–268 MB, its
 * throughput within noise). glibc reads it as the process starts, so it is set before.
 */
export const SERVE_ENV = { MALLOC_ARENA_MAX: '1' };

/** The variables of `wanted` that `env` does not set: a value the user gave stands. */
export function missingEnv(wanted, env) {
  return Object.fromEntries(Object.entries(wanted).filter(([name]) => env[name] === undefined));
}

/**
 * The options of `wanted` that neither the command line (execArgv) nor NODE_OPTIONS sets, by name: a value the user
 * gave stands.
 */
export function missingNodeOptions(wanted, execArgv, nodeOptions = '') {
  const given = [...execArgv, ...nodeOptions.split(/\s+/)].map((option) =>
    option.split('=')[0].replaceAll('_', '-'),
  );
  return wanted.filter((option) => !given.includes(option.split('=')[0]));
}
