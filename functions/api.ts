// Lambda entry point for the HTTP API (API Gateway HTTP API v2 or Function URL events).
import { handle } from 'hono/aws-lambda';
import { metrics, wiring } from './aws/lambda-wiring.ts';

const handleRequest = handle(wiring.app);

export const handler: typeof handleRequest = async (event, context) => {
  try {
    return await handleRequest(event, context);
  } finally {
    // Powertools flushes on its own only every 100 values; publish what this request added.
    metrics.publishStoredMetrics();
  }
};
