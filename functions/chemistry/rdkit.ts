// RDKit MinimalLib (WebAssembly), started once per thread on first need: guides and datasets without a SMILES never
// pay its start-up (~0.2–0.4 s). The one place that knows where its .wasm file lives.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MainModule } from '@rdkit/rdkit';

/** The pinned release (package.json); part of every guide's fingerprint, as it shapes the drawing. */
export const RDKIT_VERSION = '2026.09.1';

/**
 * The file a bundle must ship for RDKit to start: copy `from` (inside node_modules) to `to`, beside the bundled
 * JavaScript file that imports this module. Unbundled code (tests, dist/ with node_modules) finds it in the package.
 */
export const RDKIT_ASSETS = [
  { from: 'node_modules/@rdkit/rdkit/dist/RDKit_minimal.wasm', to: 'RDKit_minimal.wasm' },
] as const;

/** RDKit could not be started (its .wasm file missing or unreadable): the deployment's fault, never the data's. */
export class ChemistryUnavailable extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(`structure toolkit (RDKit) unavailable: ${message}`, options);
    this.name = 'ChemistryUnavailable';
  }
}

/** Where the .wasm file is: beside this module's file when bundled, else in the installed package. */
export function rdkitWasmPath(): string {
  const here = fileURLToPath(import.meta.url);
  const beside = join(dirname(here), RDKIT_ASSETS[0].to);
  if (existsSync(beside)) return beside;
  try {
    // Loaded here, not imported: this module is part of the renderer's startup snapshot, where node:module is unsafe.
    const { createRequire } = process.getBuiltinModule('node:module');
    return createRequire(here).resolve('@rdkit/rdkit/RDKit_minimal.wasm');
  } catch (error) {
    throw new ChemistryUnavailable(`${RDKIT_ASSETS[0].to} is neither beside ${here} nor installed`, {
      cause: error,
    });
  }
}

export type Rdkit = MainModule;

/** The RDKit instance with its error log captured (RDKit logs why a SMILES failed rather than returning it). */
export interface RdkitSession {
  rdkit: Rdkit;
  /** Returns what RDKit logged since the last call, and forgets it. */
  takeLog(): string;
}

let session: Promise<RdkitSession> | undefined;

/**
 * The WebAssembly global, looked up when used: it is absent while a startup snapshot is built, and this project's type
 * libraries declare only its types. RuntimeError is a trap (the instance's memory can no longer be trusted);
 * Exception is a C++ exception thrown inside RDKit.
 */
export function webAssembly() {
  return (
    globalThis as unknown as {
      WebAssembly: {
        instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: object }>;
        RuntimeError: abstract new () => Error;
        Exception: abstract new () => object;
      };
    }
  ).WebAssembly;
}

async function start(): Promise<RdkitSession> {
  const path = rdkitWasmPath();
  let wasmBinary: Buffer;
  try {
    wasmBinary = readFileSync(path);
  } catch (error) {
    throw new ChemistryUnavailable(`cannot read ${path}`, { cause: error });
  }
  const { default: initRDKitModule } = await import('@rdkit/rdkit');
  // This build of the loader ignores a `wasmBinary` option but lets the caller instantiate, so the bytes read above
  // are the ones used, whatever folder the loader's own file ends up in (a bundle, a startup snapshot). A failed
  // instantiation never calls back, so it rejects through its own promise.
  let instantiationFailed!: (error: unknown) => void;
  const failure = new Promise<never>((_, reject) => {
    instantiationFailed = reject;
  });
  const rdkit = await Promise.race([
    initRDKitModule({
      instantiateWasm(imports: object, ready: (instance: object) => void) {
        webAssembly()
          .instantiate(wasmBinary, imports)
          .then((result) => ready(result.instance), instantiationFailed);
        return {};
      },
    }),
    failure,
  ]);
  if (rdkit.version() !== RDKIT_VERSION) {
    throw new ChemistryUnavailable(`expected version ${RDKIT_VERSION}, found ${rdkit.version()}`);
  }
  // Captured, RDKit's messages stay off stderr and can be quoted in validation errors.
  rdkit.disable_logging();
  const log = rdkit.set_log_capture('rdApp.*');
  if (!log) throw new ChemistryUnavailable('log capture could not be set up');
  return {
    rdkit,
    takeLog() {
      const text = log.get_buffer();
      log.clear_buffer();
      return text;
    },
  };
}

/** The thread's RDKit, started on first call; a failed start is retried on the next call. */
export function rdkitSession(): Promise<RdkitSession> {
  session ??= start().catch((error: unknown) => {
    session = undefined;
    throw error instanceof ChemistryUnavailable
      ? error
      : new ChemistryUnavailable(error instanceof Error ? error.message : String(error), { cause: error });
  });
  return session;
}

/**
 * Drops the instance after a WebAssembly trap (out-of-bounds access, stack exhaustion on a pathological input):
 * its memory can no longer be trusted, so the next call starts a fresh one.
 */
export function discardRdkitSession(): void {
  session = undefined;
}

/** Whether RDKit has been started in this thread (tests: guides without a SMILES must not start it). */
export function rdkitStarted(): boolean {
  return session !== undefined;
}
