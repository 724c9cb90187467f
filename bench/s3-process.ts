// The local S3 server in its own process for benchmarks (bench/s3-server.ts), as S3 would be: not sharing a core
// with what is measured.
import { type ChildProcess, spawn } from 'node:child_process';

export const CREDENTIALS = { accessKeyId: 'BENCHKEY', secretAccessKey: 'bench-secret-0123456789' };

export function startS3Process(directory: string): Promise<{ child: ChildProcess; endpoint: string }> {
  // From dist/bench/ or from a shared chunk in dist/chunks/: both reach dist/bench/s3-server.js.
  const script = new URL('../bench/s3-server.js', import.meta.url).pathname;
  const child = spawn(
    process.execPath,
    [script, directory, CREDENTIALS.accessKeyId, CREDENTIALS.secretAccessKey],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child
      .stdout!.setEncoding('utf8')
      .once('data', (line: string) => resolve({ child, endpoint: line.trim() }));
  });
}
