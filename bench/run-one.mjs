// Runs one benchmark module in this (fresh) process and prints its results as JSON lines.
const [path] = process.argv.slice(2);
const { run } = await import(new URL(path, import.meta.url).href);
for (const result of await run()) process.stdout.write(`${JSON.stringify(result)}\n`);
