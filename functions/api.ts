// Lambda entry point for the HTTP API (API Gateway HTTP API v2 or Function URL events).
import { handle } from 'hono/aws-lambda';
import { logger, settings, wiring } from './aws/lambda-wiring.ts';
import { createApp } from './http/app.ts';

const app = createApp({
  guides: wiring.guides,
  keys: wiring.keys,
  regenerations: wiring.jobs,
  linkTtlSeconds: settings.linkTtlSeconds,
  log: { info: (message, details) => logger.info(message, details), error: (m, d) => logger.error(m, d) },
});

export const handler = handle(app);
