#!/usr/bin/env node
// The `guides` command: runs the bundled CLI (built by `npm install` via the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('guides: not built yet; run `npm install` (or `npm run build`) first\n');
  process.exit(2);
}
await import(cli);
