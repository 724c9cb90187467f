// esbuild plugins shared by the builds that put every package into one file (render snapshot, Lambda packages).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** fontkit's WOFF2 decoder (1.3 MB of Brotli dictionary) left out: the guide's fonts are TTF. */
export const noWoff2 = {
  name: 'no-woff2',
  setup(build) {
    build.onResolve({ filter: /^brotli\/decompress(\.js)?$/ }, (args) => ({
      path: args.path,
      namespace: 'no-woff2',
    }));
    build.onLoad({ filter: /.*/, namespace: 'no-woff2' }, () => ({
      contents: "module.exports = () => { throw new Error('WOFF2 fonts are not supported here'); };",
    }));
  },
};

/** Replaces the contents of the module at `path` (relative to the working directory) with `contents`. */
export function replaceModule(path, contents) {
  const absolute = new URL(path, `file://${process.cwd()}/`).pathname;
  return {
    name: `replace ${path}`,
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) =>
        args.path === absolute ? { contents, loader: 'js', resolveDir: process.cwd() } : undefined,
      );
    },
  };
}

/**
 * Rewrites a bundle so that it holds only ASCII: V8 keeps a script's source as one-byte text only when every
 * character fits, and decodes ASCII fastest; a single µ doubles the source in memory and slows reading it.
 * esbuild escapes such characters in strings but leaves them in regular expressions, where \u escapes mean the
 * same (a pair of escaped surrogates stands for its code point under the u flag too).
 */
export function escapeNonAscii(file) {
  const source = readFileSync(file, 'utf8');
  writeFileSync(
    file,
    source.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  );
}

/**
 * Graphviz's WebAssembly out of the JavaScript: @viz-js/viz carries its 1.2 MB module as a string literal that is
 * decoded character by character at start-up. Here the module is decoded once at build time and written to
 * `<dir>/graphviz.wasm`, and the bundle reads that file instead. Written for @viz-js/viz 3.31.0: another version,
 * or a file that does not look as expected, fails the build rather than shipping something untested.
 */
export function graphvizWasmBeside(dir) {
  return {
    name: 'graphviz-wasm-beside',
    setup(build) {
      build.onLoad({ filter: /[\\/]@viz-js[\\/]viz[\\/]dist[\\/]viz\.js$/ }, (args) => {
        const manifest = JSON.parse(readFileSync(new URL('../package.json', `file://${args.path}`), 'utf8'));
        if (manifest.version !== '3.31.0')
          throw new Error(`graphvizWasmBeside was written for @viz-js/viz 3.31.0, not ${manifest.version}`);
        const source = readFileSync(args.path, 'utf8');
        const head = 'function findWasmBinary(){return binaryDecode(';
        const start = source.indexOf(head);
        const end = source.indexOf(')}', start);
        if (start < 0 || source.indexOf(head, start + 1) >= 0 || end < 0)
          throw new Error('@viz-js/viz: findWasmBinary is not where graphvizWasmBeside expects it');
        // The literal as JavaScript reads it, then viz's own decoding (binaryDecode) of each character to a byte.
        const text = new Function(`return ${source.slice(start + head.length, end)}`)();
        const bytes = Uint8Array.from(text, (c) => {
          const code = c.charCodeAt(0);
          return (~code >> 8) & code;
        });
        if (String.fromCharCode(...bytes.subarray(0, 4)) !== '\0asm')
          throw new Error('@viz-js/viz: the decoded module is not WebAssembly');
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'graphviz.wasm'), bytes);
        const read =
          'function findWasmBinary(){return new Uint8Array(require("node:fs").readFileSync(require("node:path").join(__dirname,"graphviz.wasm")))}';
        return { contents: source.slice(0, start) + read + source.slice(end + 2), loader: 'js' };
      });
    },
  };
}

/**
 * Work that packages do as they load, which the guides never need or need only later, deferred to first use (found in
 * lambda.cold's CPU profile; each is a few per cent of a cold start):
 * - unicode-trie 2.x builds a trie (inflating its data twice, in JavaScript) when constructed. Five are constructed
 *   at load: fontkit's for its Arabic, Indic and Universal shapers, which Latin text never reaches, and those of
 *   unicode-properties and linebreak, which the first render needs anyway. Here a trie is built on its first get(),
 *   the only method fontkit, linebreak and unicode-properties call.
 * - pdfkit loads @noble/ciphers' AES (building its S-boxes) for encrypted PDFs, which guides never are; here it loads
 *   on first use of any of its exports. (This holds for pdfkit's CommonJS build, which pdfmake requires: an ESM
 *   import would read the exports at load.)
 * Only these major versions' public APIs are relied on: another version fails the build.
 */
export const deferredLoading = {
  name: 'deferred-loading',
  setup(build) {
    const real = async (specifier, args, major) => {
      const resolved = await build.resolve(specifier, {
        resolveDir: args.resolveDir,
        kind: args.kind,
        pluginData: 'deferred-loading: the real module',
      });
      if (resolved.errors.length > 0) return undefined;
      // The package's own package.json: the nearest one above the module that names a version.
      let dir = dirname(resolved.path);
      let manifest;
      for (; !manifest?.version; dir = dirname(dir)) {
        try {
          manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
        } catch {}
        if (dir === dirname(dir) && !manifest?.version)
          throw new Error(`deferredLoading: no package.json with a version above ${resolved.path}`);
      }
      if (manifest.version.split('.')[0] !== major)
        throw new Error(`deferredLoading was written for ${specifier} ${major}.x, not ${manifest.version}`);
      return resolved.path;
    };
    build.onResolve({ filter: /^unicode-trie$/ }, async (args) => {
      if (args.pluginData === 'deferred-loading: the real module') return undefined;
      const path = await real('unicode-trie', args, '2');
      return path && { path, namespace: 'deferred-unicode-trie' };
    });
    build.onLoad({ filter: /.*/, namespace: 'deferred-unicode-trie' }, (args) => ({
      contents: `const UnicodeTrie = require(${JSON.stringify(args.path)});
module.exports = class DeferredUnicodeTrie {
  constructor(data) { this.data = data; this.trie = undefined; }
  get(codePoint) { return (this.trie ??= new UnicodeTrie(this.data)).get(codePoint); }
};`,
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
    build.onResolve({ filter: /^@noble\/ciphers\/aes(\.js)?$/ }, async (args) => {
      if (args.pluginData === 'deferred-loading: the real module') return undefined;
      const path = await real(args.path, args, '1');
      return path && { path, namespace: 'deferred-module' };
    });
    build.onLoad({ filter: /.*/, namespace: 'deferred-module' }, (args) => ({
      contents: `let loaded;
const load = () => (loaded ??= require(${JSON.stringify(args.path)}));
module.exports = new Proxy({}, {
  get: (_, key) => load()[key],
  has: (_, key) => key in load(),
  ownKeys: () => Reflect.ownKeys(load()),
  getOwnPropertyDescriptor: (_, key) => {
    const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
    return descriptor && { ...descriptor, configurable: true };
  },
});`,
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};
