// Runs as the Lambda runtime would, in a child process: imports <package>/index.mjs, invokes `handler` with each
// event of <events.json> in turn, and writes what it returned to <results.json> (stdout belongs to the function's
// logs). Usage: node invoke-lambda.mjs <package dir> <events.json> <results.json>
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [dir, eventsFile, resultsFile] = process.argv.slice(2);
const { handler } = await import(pathToFileURL(`${dir}/index.mjs`).href);
const results = [];
for (const [i, event] of JSON.parse(readFileSync(eventsFile, 'utf8')).entries()) {
  const context = {
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: '$LATEST',
    memoryLimitInMB: '1769',
    awsRequestId: `request-${i}`,
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
    getRemainingTimeInMillis: () => 30_000,
    callbackWaitsForEmptyEventLoop: true,
  };
  results.push(await handler(event, context));
}
writeFileSync(resultsFile, JSON.stringify(results));
