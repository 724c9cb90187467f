// The node options `guides serve` runs under, however it is started: `npm start` passes them (package.json, checked
// by a test), the benchmarks too, and bin/guides.js starts the server with them when they were not given.
// An uncapped V8 lets the main heap grow lazily under request churn (RSS 280 → 430 MB in a minute, still rising);
// capped, it collects sooner. The young generation's semi-spaces, 16 MB each by default, are filled by every burst
// of requests and stay resident: 2 MB holds a request's garbage, costs scavenges of a few hundred microseconds, and
// keeps ~30 MB off the server's resident set (bench/soak.ts).
export const SERVE_NODE_OPTIONS = ['--max-old-space-size=128', '--max-semi-space-size=2'];

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
