export const LAMBDA_MEMORY_MB: number;
export const LAMBDA_NODE_FLAGS: string[];
export function lambdaNodeFlags(memoryMb: number): string[];
export function findNode22(): string | undefined;
