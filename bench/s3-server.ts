// The local S3 server as its own process for benchmarks: prints its endpoint on stdout, runs until killed.
import { startLocalS3 } from '../functions/local/s3server.ts';

const [directory, accessKeyId, secretAccessKey] = process.argv.slice(2);
const server = await startLocalS3({
  port: 0,
  directory: directory!,
  buckets: ['bench-datasets', 'bench-guides'],
  accessKeyId: accessKeyId!,
  secretAccessKey: secretAccessKey!,
});
process.stdout.write(`${server.endpoint}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
