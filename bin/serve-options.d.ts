// Types of serve-options.js (plain JavaScript, as bin/guides.js runs before anything is built).
export declare const SERVE_NODE_OPTIONS: readonly string[];
export declare function missingNodeOptions(
  wanted: readonly string[],
  execArgv: readonly string[],
  nodeOptions?: string,
): string[];
