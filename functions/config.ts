// Settings, read once from the environment: the same names in every mode. On Lambda, sst.config.ts sets
// them (bucket and queue names) per function, since least-privilege permissions replace SST links there.
// Nothing else in the code base reads process.env.
import { z } from 'zod';

export interface Settings {
  /** API port in local mode. */
  port: number;
  /** Embedded S3 server's port in local mode. */
  s3Port: number;
  dataDir: string;
  stateDir: string;
  /** The local development key (scopes guides and admin), when set. */
  devApiKey: string | undefined;
  linkTtlSeconds: number;
  datasetsBucket: string;
  guidesBucket: string;
  /** Unset means real AWS S3. */
  s3Endpoint: string | undefined;
  region: string;
  /** Queue for regeneration fan-out on AWS; unset locally (the worker runs in-process). */
  regenerationQueueUrl: string | undefined;
  /** Deliveries of one queue message before it is dead-lettered (the queue's maxReceiveCount). */
  queueMaxReceives: number;
  templatesDir: string | undefined;
  /** Where keys are looked up (a prefix of the guides bucket). */
  keysPrefix: string;
  /** Where RDKit's answers are kept on Lambda (a prefix of the guides bucket; locally, files under stateDir). */
  structureCachePrefix: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** AWS credentials are configured (env keys, a profile, or a Lambda/container role). */
  awsCredentialsConfigured: boolean;
}

export class ConfigurationInvalid extends Error {
  override readonly name = 'ConfigurationInvalid';
}

const port = z.coerce.number().int().min(0).max(65535);
const bucket = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid S3 bucket name');

const schema = z.object({
  PORT: port.default(3000),
  GUIDES_S3_PORT: port.default(4569),
  GUIDES_DATA_DIR: z.string().min(1).default('data'),
  GUIDES_STATE_DIR: z.string().min(1).default('.guides'),
  GUIDES_DEV_API_KEY: z
    .string()
    .regex(/^[\x21-\x7e]{16,256}$/, 'must be 16 to 256 printable ASCII characters without spaces')
    .optional(),
  GUIDES_LINK_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(900),
  GUIDES_DATASETS_BUCKET: bucket.default('guides-datasets'),
  GUIDES_GUIDES_BUCKET: bucket.default('guides-guides'),
  GUIDES_S3_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  GUIDES_REGENERATION_QUEUE_URL: z.url({ protocol: /^https$/ }).optional(),
  GUIDES_QUEUE_MAX_RECEIVES: z.coerce.number().int().min(1).max(1000).default(5),
  GUIDES_TEMPLATES_DIR: z.string().min(1).optional(),
  GUIDES_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  AWS_REGION: z.string().min(1).default('us-east-1'),
});

type Environment = Record<string, string | undefined>;

export function loadSettings(env: Environment = process.env): Settings {
  const merged: Environment = { ...env };
  // Empty strings mean "unset", as in a shell `FOO= npm start`.
  for (const key of Object.keys(merged)) if (merged[key] === '') delete merged[key];

  const parsed = schema.safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigurationInvalid(`invalid settings:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    s3Port: e.GUIDES_S3_PORT,
    dataDir: e.GUIDES_DATA_DIR,
    stateDir: e.GUIDES_STATE_DIR,
    devApiKey: e.GUIDES_DEV_API_KEY,
    linkTtlSeconds: e.GUIDES_LINK_TTL_SECONDS,
    datasetsBucket: e.GUIDES_DATASETS_BUCKET,
    guidesBucket: e.GUIDES_GUIDES_BUCKET,
    s3Endpoint: e.GUIDES_S3_ENDPOINT,
    region: e.AWS_REGION,
    regenerationQueueUrl: e.GUIDES_REGENERATION_QUEUE_URL,
    queueMaxReceives: e.GUIDES_QUEUE_MAX_RECEIVES,
    templatesDir: e.GUIDES_TEMPLATES_DIR,
    keysPrefix: 'keys/',
    structureCachePrefix: 'cache/structures/',
    logLevel: e.GUIDES_LOG_LEVEL,
    awsCredentialsConfigured: [
      'AWS_ACCESS_KEY_ID',
      'AWS_PROFILE',
      'AWS_LAMBDA_FUNCTION_NAME',
      'AWS_CONTAINER_CREDENTIALS_FULL_URI',
      'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
      'AWS_WEB_IDENTITY_TOKEN_FILE',
    ].some((name) => !!merged[name]),
  };
}
