#!/usr/bin/env node
// The `guides` command: runs the bundled CLI (built by `npm install` via the prepare script). `guides render`
// starts from the renderer's startup snapshot when the build made one for this node (about 0.3 s instead of 0.8 s);
// when it cannot, it says why in one line on stderr and renders from the bundle.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import module from 'node:module';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { missingEnv, missingNodeOptions, SERVE_ENV, SERVE_NODE_OPTIONS } from './serve-options.js';

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
/**
 * `guides serve` under the heap limits and malloc setting `npm start` gives it (serve-options.js). Node 22.15 and
 * later replace this process with one started with them (same pid: signals reach the server as before); older ones
 * run the server as a child: Ctrl-C reaches it from the terminal (same process group), SIGTERM and SIGHUP are passed
 * on, and its exit code is this process's. Resolves false when the options were given and this process is to serve.
 */
function serveWithOptions() {
  const missing = missingNodeOptions(SERVE_NODE_OPTIONS, process.execArgv, process.env.NODE_OPTIONS);
  const missingVariables = missingEnv(SERVE_ENV, process.env);
  if (missing.length === 0 && Object.keys(missingVariables).length === 0) return Promise.resolve(false);
  const argv = [...missing, ...process.execArgv, fileURLToPath(import.meta.url), ...args];
  const env = { ...process.env, ...missingVariables };
  if (typeof process.execve === 'function') {
    // The environment explicitly: Node releases before nodejs/node#60029 start the new image with an empty one.
    try {
      process.execve(process.execPath, [process.execPath, ...argv], env);
    } catch (error) {
      process.stderr.write(
        `guides serve: could not restart with heap options (${error.message}); running a child\n`,
      );
    }
  }
  const child = spawn(process.execPath, argv, { stdio: 'inherit', env });
  process.on('SIGINT', () => {});
  for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => {
    child.on('error', (error) => {
      process.stderr.write(`guides serve: could not start the server: ${error.message}\n`);
      process.exitCode = 1;
      resolve(true);
    });
    child.on('exit', (code, signal) => {
      process.exitCode = code ?? 128 + (constants.signals[signal] ?? 0);
      resolve(true);
    });
  });
}

const served = args[0] === 'serve' && !wantsHelp && (await serveWithOptions());
if (!served) await import(cli);
