// Lambda entry point for the HTTP API (API Gateway HTTP API v2 or Function URL events).
import { handle } from 'hono/aws-lambda';
import { logger, metrics, settings, wiring } from './aws/lambda-wiring.ts';
import { createApp } from './http/app.ts';

const handleRequest = wiring.then(({ guides, keys, jobs }) =>
  handle(
    createApp({
      guides,
      keys,
      regenerations: jobs,
      linkTtlSeconds: settings.linkTtlSeconds,
      log: { info: (message, details) => logger.info(message, details), error: (m, d) => logger.error(m, d) },
    }),
  ),
);

export const handler: Awaited<typeof handleRequest> = async (event, context) => {
  try {
    return await (await handleRequest)(event, context);
  } finally {
    // Powertools flushes on its own only every 100 values; publish what this request added.
    metrics.publishStoredMetrics();
  }
};
