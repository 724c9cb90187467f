// Lambda entry point for the HTTP API (API Gateway HTTP API v2 or Function URL events).
import { handle } from 'hono/aws-lambda';
import { metrics, wiring } from './aws/lambda-wiring.ts';

// The wiring is a promise (the bundle loads as a script, without top-level await): the adapter waits for it once.
const handleRequest = wiring.then(({ app }) => handle(app));

export const handler: Awaited<typeof handleRequest> = async (event, context) => {
  try {
    return await (await handleRequest)(event, context);
  } finally {
    // Powertools flushes on its own only every 100 values; publish what this request added.
    metrics.publishStoredMetrics();
  }
};
