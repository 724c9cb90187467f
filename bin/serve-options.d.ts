// Types of serve-options.js (plain JavaScript, as bin/guides.js runs before anything is built).
export declare const SERVE_NODE_OPTIONS: readonly string[];
export declare function missingNodeOptions(
  wanted: readonly string[],
  execArgv: readonly string[],
  nodeOptions?: string,
): string[];
export declare const SERVE_ENV: Readonly<Record<string, string>>;
export declare function missingEnv(
  wanted: Readonly<Record<string, string>>,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string>;
