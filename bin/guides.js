#!/usr/bin/env node
// The `guides` command: runs the bundled CLI (built by `npm install` via the prepare script). `guides render`
// starts from the renderer's startup snapshot when the build made one for this node (about 0.3 s instead of 0.8 s);
// when it cannot, it says why in one line on stderr and renders from the bundle.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

// Node 22 keeps the compiled code of dist/ between runs (under the OS temp folder); Node 20 has no such cache.
module.enableCompileCache?.();

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('guides: not built yet; run `npm install` (or `npm run build`) first\n');
  process.exit(2);
}

// The snapshot answers STALE (3) when the templates it was built from are gone (it has said so): the bundle renders.
const STALE = 3;
const blob = fileURLToPath(new URL('../dist/render.blob', import.meta.url));

/** Why the snapshot cannot serve this node, or undefined when it can. */
function snapshotRefusal() {
  if (!existsSync(blob)) return 'no render snapshot was built (the output of npm run build says why)';
  try {
    const built = JSON.parse(readFileSync(`${blob}.json`, 'utf8')).node;
    return built === process.version
      ? undefined
      : `the render snapshot was built by node ${built}, not this ${process.version} (npm run build makes one for it)`;
  } catch {
    return 'the render snapshot has no build record (npm run build makes one)';
  }
}

const args = process.argv.slice(2);
const wantsHelp = args.slice(1).some((arg) => arg === '--help' || arg === '-h');
if (args[0] === 'render' && !wantsHelp) {
  const refusal = snapshotRefusal();
  if (refusal === undefined) {
    const child = spawnSync(process.execPath, ['--snapshot-blob', blob, '--', ...args.slice(1)], {
      stdio: 'inherit',
    });
    if (!child.error && child.status !== STALE) process.exit(child.status ?? 1);
    if (child.error)
      process.stderr.write(
        `guides render: the render snapshot did not start (${child.error.message}); rendering from the bundle\n`,
      );
  } else {
    process.stderr.write(`guides render: ${refusal}; rendering from the bundle\n`);
  }
}
await import(cli);
