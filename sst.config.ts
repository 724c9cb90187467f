/// <reference path="./.sst/platform/config.d.ts" />
// AWS deployment (SPEC §7): two private buckets, the HTTP API, the regeneration queue with its
// dead-letter queue and worker, the dataset notification, and least-privilege IAM per function.
// Type-checked offline in CI with `npm run typecheck:sst` (see docs/deploy.md).

// Renders are CPU-bound: 1769 MB is where Lambda gives a function one full vCPU.
const RENDER_MEMORY = '1769 MB';
// A batch of 10 renders (cold start ~2 s, then ~25–60 ms each plus S3 round trips) fits easily.
const WORKER_TIMEOUT_SECONDS = 120;
// AWS: visibility timeout ≥ 6 × the function timeout, or in-flight messages are redelivered mid-batch.
const QUEUE_VISIBILITY_SECONDS = 6 * WORKER_TIMEOUT_SECONDS;
// Ceiling on parallel workers for one queue (event source mapping scaling, not reserved concurrency:
// it reserves nothing from the account pool, and messages wait in the queue instead of being throttled).
const WORKER_MAX_CONCURRENCY = 50;
// Deliveries before a message is dead-lettered; the worker records the last one's failure as final.
const QUEUE_MAX_RECEIVES = 5;

export default $config({
  app(input) {
    return {
      name: 'technical-guides',
      // Production data survives `sst remove` and accidental replacement.
      removal: input?.stage === 'prod' ? 'retain' : 'remove',
      protect: input?.stage === 'prod',
      home: 'aws',
    };
  },
  async run() {
    const isProd = $app.stage === 'prod';

    // Private buckets: SST blocks public access and denies non-HTTPS requests by default.
    const bucketArgs = {
      transform: { bucket: { forceDestroy: !isProd } },
    };
    const datasets = new sst.aws.Bucket('Datasets', bucketArgs);
    const guides = new sst.aws.Bucket('Guides', {
      ...bucketArgs,
      // Regeneration job progress (jobs/<id>/…) is only interesting for a while.
      lifecycle: [{ id: 'expire-jobs', prefix: 'jobs/', expiresIn: '30 days' }],
      transform: {
        ...bucketArgs.transform,
        // A PDF replaced by a newer guide is tagged when the pointer moves (storage/guides.ts); a day later every
        // signed link to it (an hour at most) is long expired. SST's lifecycle rules filter by prefix only.
        lifecycle: (args) => {
          args.rules = $output(args.rules).apply((rules) => [
            ...(rules ?? []),
            {
              id: 'expire-superseded-guides',
              status: 'Enabled',
              filter: { and: { prefix: 'guides/', tags: { 'guides-superseded': 'true' } } },
              expiration: { days: 1 },
            },
          ]);
        },
      },
    });
    // S3 encrypts new objects with SSE-S3 anyway; declaring it keeps that true if account defaults change.
    // AES256 rather than KMS: signed links then need no kms:Decrypt on the API role.
    for (const [name, bucket] of [
      ['DatasetsEncryption', datasets],
      ['GuidesEncryption', guides],
    ] as const) {
      new aws.s3.BucketServerSideEncryptionConfiguration(name, {
        bucket: bucket.name,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
      });
    }

    const deadLetters = new sst.aws.Queue('RegenerationsDlq', {
      // 14 days (the SQS maximum) to inspect and redrive failures.
      transform: { queue: { messageRetentionSeconds: 14 * 24 * 3600 } },
    });
    const regenerations = new sst.aws.Queue('Regenerations', {
      visibilityTimeout: `${QUEUE_VISIBILITY_SECONDS} seconds`,
      dlq: { queue: deadLetters.arn, retry: QUEUE_MAX_RECEIVES },
    });

    // IAM for each function, per key prefix (SPEC §3). Deliberately no `link: [bucket]`: a linked
    // Bucket grants s3:* and a linked Queue sqs:*. s3:ListBucket is granted on the whole bucket
    // because without it a GetObject on a missing key answers 403 AccessDenied instead of 404
    // NoSuchKey, and the code needs the 404 ("no guide yet", "dataset deleted").
    const objects = (bucket: sst.aws.Bucket, prefix: string) => $interpolate`${bucket.arn}/${prefix}*`;
    const list = (bucket: sst.aws.Bucket) => ({ actions: ['s3:ListBucket'], resources: [bucket.arn] });

    // Bucket and queue names reach the code as the plain variables config.ts reads first. SST v4 does
    // not put links into SST_RESOURCE_<Name> variables on Lambda (it writes an encrypted resource.enc
    // read by `Resource` from the `sst` SDK), so plain variables are what works without the SDK.
    const environment = {
      GUIDES_DATASETS_BUCKET: datasets.name,
      GUIDES_GUIDES_BUCKET: guides.name,
    };

    // Each function deploys the package `npm run build:lambda` wrote (dist/lambda/<name>/: index.mjs, the bundle,
    // its V8 code cache, and the files it reads: templates/, RDKit's and Graphviz's WebAssembly), as CI tested it on Node 22: SST's prebuilt `bundle`, no second
    // build here. `npm run deploy` builds them first. x86_64, the architecture CI runs Node 22 on: V8 refuses a
    // code cache made on another one, and the cold start (the function's init phase) would pay for compiling.
    const functionDefaults = {
      runtime: 'nodejs22.x',
      architecture: 'x86_64',
      memory: RENDER_MEMORY,
      handler: 'index.handler',
      logging: { retention: '1 month' },
    } satisfies Partial<sst.aws.FunctionArgs>;

    const apiFunction = new sst.aws.Function('ApiHandler', {
      ...functionDefaults,
      bundle: 'dist/lambda/api',
      // API Gateway HTTP APIs give up after 30 s; a render that slow is already an error.
      timeout: '29 seconds',
      environment: { ...environment, GUIDES_REGENERATION_QUEUE_URL: regenerations.url },
      permissions: [
        { actions: ['s3:GetObject'], resources: [objects(datasets, 'datasets/')] },
        list(datasets),
        // Presigned links are signed with this role: it needs GetObject on what it signs.
        {
          actions: ['s3:GetObject', 's3:PutObject', 's3:PutObjectTagging'],
          resources: [objects(guides, 'guides/')],
        },
        // API-key hashes (created and revoked by the CLI with operator credentials; read-only here).
        { actions: ['s3:GetObject'], resources: [objects(guides, 'keys/')] },
        {
          actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
          resources: [objects(guides, 'jobs/')],
        },
        // RDKit's answers per structure (functions/chemistry/structure-cache.ts; the prefix is config.ts's).
        { actions: ['s3:GetObject', 's3:PutObject'], resources: [objects(guides, 'cache/structures/')] },
        list(guides),
        // SendMessageBatch is authorised as sqs:SendMessage.
        { actions: ['sqs:SendMessage'], resources: [regenerations.arn] },
      ],
    });

    // Browsers only ever follow signed S3 links; API keys belong on servers, so no CORS.
    const api = new sst.aws.ApiGatewayV2('Api', { cors: false });
    api.route('$default', apiFunction.arn);

    regenerations.subscribe(
      {
        ...functionDefaults,
        bundle: 'dist/lambda/worker',
        timeout: `${WORKER_TIMEOUT_SECONDS} seconds`,
        environment: { ...environment, GUIDES_QUEUE_MAX_RECEIVES: String(QUEUE_MAX_RECEIVES) },
        // The subscription itself adds sqs:ReceiveMessage/DeleteMessage/… on this queue.
        permissions: [
          { actions: ['s3:GetObject'], resources: [objects(datasets, 'datasets/')] },
          list(datasets),
          // guides/: write the PDF and pointer; delete only pointers (when a dataset is deleted), never a PDF.
          {
            actions: ['s3:GetObject', 's3:PutObject', 's3:PutObjectTagging'],
            resources: [objects(guides, 'guides/')],
          },
          { actions: ['s3:DeleteObject'], resources: [$interpolate`${guides.arn}/guides/*/current.json`] },
          {
            actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
            resources: [objects(guides, 'jobs/')],
          },
          { actions: ['s3:GetObject', 's3:PutObject'], resources: [objects(guides, 'cache/structures/')] },
          list(guides),
        ],
      },
      {
        // Only failed records return to the queue (Powertools processPartialResponse).
        batch: { size: 10, partialResponses: true },
        transform: {
          eventSourceMapping: { scalingConfig: { maximumConcurrency: WORKER_MAX_CONCURRENCY } },
        },
      },
    );

    // Dataset created, changed or deleted → one S3 event message on the queue (SPEC §5).
    datasets.notify({
      notifications: [
        {
          name: 'DatasetChanges',
          queue: regenerations,
          events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'],
          filterPrefix: 'datasets/',
          filterSuffix: '.json',
        },
      ],
    });

    return {
      api: api.url,
      datasetsBucket: datasets.name,
      guidesBucket: guides.name,
      regenerationQueue: regenerations.url,
      deadLetterQueue: deadLetters.url,
    };
  },
});
