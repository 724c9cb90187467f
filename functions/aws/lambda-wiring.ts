// Lambda cold start: settings from the environment and SST links, one S3 client, one renderer per container, started
// when the module loads (the init phase) and awaited by the handlers.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { SQSClient } from '@aws-sdk/client-sqs';
import { useStructureCache } from '../chemistry/structure-cache.ts';
import { loadSettings } from '../config.ts';
import { loadMethodCatalogue } from '../guide/methods.ts';
import { prepared } from '../guide/prepared.ts';
import { createRenderer } from '../guide/render.ts';
import { templatesDir } from '../paths.ts';
import { ObjectStore } from '../storage/objects.ts';
import { createS3Client } from '../storage/s3.ts';
import { S3StructureCache } from '../storage/structure-cache.ts';
import { type Wiring, wire } from '../wiring.ts';
import { SqsDispatcher, unconfiguredQueue } from './sqs-dispatcher.ts';

export const logger = new Logger({ serviceName: 'guides' });
export const metrics = new Metrics({ namespace: 'TechnicalGuides', serviceName: 'guides' });

export const settings = loadSettings();

async function build(): Promise<Wiring> {
  const templates = templatesDir(settings.templatesDir);
  const renderer = await createRenderer({ templatesDir: templates, prepared });
  const s3 = createS3Client({
    region: settings.region,
    ...(settings.s3Endpoint ? { endpoint: settings.s3Endpoint, forcePathStyle: true } : {}),
  });
  // RDKit's answers for a SMILES, kept in the guides bucket: a container that finds them there never starts RDKit
  // (about a quarter of a cold request, see lambda.cold), which starts only on a miss.
  useStructureCache(
    new S3StructureCache(new ObjectStore(s3, settings.guidesBucket), settings.structureCachePrefix),
    {
      onError: (operation, key, error) =>
        logger.warn('structure cache unavailable; RDKit answers', { operation, key, error: String(error) }),
    },
  );
  const dispatcher = settings.regenerationQueueUrl
    ? new SqsDispatcher(new SQSClient({ region: settings.region }), settings.regenerationQueueUrl)
    : unconfiguredQueue;
  return wire(settings, {
    s3,
    dispatcher,
    render: async (dataset) => {
      const started = performance.now();
      const rendered = await renderer.render(dataset);
      const ms = performance.now() - started;
      logger.info('guide rendered', {
        compoundId: dataset.compound.id,
        pages: rendered.pages,
        ms: Math.round(ms),
      });
      metrics.addMetric('GuideRenderMs', 'Milliseconds', ms);
      return rendered;
    },
    assetsDigest: renderer.assetsDigest,
    methods: loadMethodCatalogue(templates),
    log: { info: (message, details) => logger.info(message, details), error: (m, d) => logger.error(m, d) },
  });
}

/** The container's wiring; a promise, so that the bundle needs no top-level await (it loads as a script). */
export const wiring: Promise<Wiring> = build();
