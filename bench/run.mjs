// `npm run bench`: runs each benchmark module in turn and prints its results as JSON lines (progress on stderr).
// A module exports `run()` resolving to result objects; add new ones (batch, api) to the list.
const MODULES = ['./render.mjs', '../dist/bench/batch.js', '../dist/bench/api.js'];

for (const path of MODULES) {
  const { run } = await import(path);
  for (const result of await run()) process.stdout.write(`${JSON.stringify(result)}\n`);
}
