#!/usr/bin/env node
// The `guides` command: runs the bundled CLI (built by `npm install` via the prepare script). `guides render`
// starts from the renderer's startup snapshot when the build made one for this node (about 0.3 s instead of 0.8 s).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('guides: not built yet; run `npm install` (or `npm run build`) first\n');
  process.exit(2);
}

// The snapshot answers STALE (3) when the templates it was built from are gone: then the bundle renders.
const STALE = 3;
const blob = fileURLToPath(new URL('../dist/render.blob', import.meta.url));

function snapshotFits() {
  try {
    return JSON.parse(readFileSync(`${blob}.json`, 'utf8')).node === process.version && existsSync(blob);
  } catch {
    return false;
  }
}

if (process.argv[2] === 'render' && snapshotFits()) {
  const child = spawnSync(
    process.execPath,
    ['--snapshot-blob', blob, 'guides-render', ...process.argv.slice(3)],
    {
      stdio: 'inherit',
    },
  );
  if (!child.error && child.status !== STALE) process.exit(child.status ?? 1);
}
await import(cli);
