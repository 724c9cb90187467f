// Preloaded into a child node process (NODE_OPTIONS=--import=…) by tests that claim a bounded memory footprint:
// prints the process's peak resident set size on exit, so the claim is measured on the real command.
process.on('exit', () => {
  process.stderr.write(`\npeak-rss-kb=${process.resourceUsage().maxRSS}\n`);
});
