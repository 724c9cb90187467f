// Runs a Lambda package as the Lambda runtime would, in its own process: imports <package>/index.mjs, invokes
// `handler` with each event of <events.json> in turn, and writes what it returned to <results.json> (stdout belongs
// to the function's logs). With a fourth argument, also writes the package's code cache as it stands after the
// events there (scripts/build-lambda.mjs makes app.cache so).
// Usage: node [Lambda's node flags] invoke-lambda.mjs <package dir> <events.json> <results.json> [<cache out>]
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [dir, eventsFile, resultsFile, cacheOut] = process.argv.slice(2);
const lambda = await import(pathToFileURL(`${dir}/index.mjs`).href);
const loaded = performance.now();
const results = [];
for (const [i, event] of JSON.parse(readFileSync(eventsFile, 'utf8')).entries()) {
  const context = {
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: '$LATEST',
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: `request-${i}`,
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
    getRemainingTimeInMillis: () => 30_000,
    callbackWaitsForEmptyEventLoop: true,
  };
  results.push(await lambda.handler(event, context));
}
const answered = performance.now();
// Milliseconds since this process started (performance's time origin): loaded, and the events answered.
const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
// CPU time of every thread (V8's compiler and GC threads included): what a busy machine cannot hide.
const { user, system } = process.cpuUsage();
const cpuMs = Math.round((user + system) / 1000);
writeFileSync(
  resultsFile,
  JSON.stringify({ results, loadedMs: loaded, answeredMs: answered, peakRssMb, cpuMs }),
);
if (cacheOut) writeFileSync(cacheOut, lambda.codeCache());
// Done: open keep-alive sockets must not hold the process (Lambda would freeze it here).
process.exit(0);
