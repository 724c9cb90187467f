// The API on a Node HTTP server (local mode, tests). Requests Node itself cannot parse (a malformed request line or
// header, headers too large, a request that never finished arriving) never reach Hono; Node would answer them with a
// bare 400 and no body. They get the same problem+json as every other client mistake here.
import type { Socket } from 'node:net';
import { serve } from '@hono/node-server';
import type { GuidesApp } from '../http/app.ts';
import { clientErrorProblem } from '../http/problems.ts';

export type ApiServer = ReturnType<typeof serve>;

function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  // The client is gone, or a response is already on its way: nothing to say.
  if (error.code === 'ECONNRESET' || !socket.writable) return;
  const problem = clientErrorProblem(error.code);
  const body = JSON.stringify(problem);
  socket.end(
    `HTTP/1.1 ${problem.status} ${problem.title}\r\n` +
      'Content-Type: application/problem+json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Cache-Control: no-store\r\n' +
      'Connection: close\r\n\r\n' +
      body,
  );
}

/** Serves the app on `hostname:port` (0 picks a free port); resolves once it listens. */
export async function serveApi(
  app: GuidesApp,
  options: { port: number; hostname: string },
): Promise<ApiServer> {
  const server = serve({ fetch: app.fetch, port: options.port, hostname: options.hostname });
  server.on('clientError', answerClientError);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  return server;
}
