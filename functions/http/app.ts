// HTTP API v1 (SPEC §4): one Hono app served by the Lambda adapter and the local Node server alike.
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { z } from 'zod';
import type { KeyVerifier, Principal, Scope } from '../auth/keys.ts';
import { COMPOUND_ID_PATTERN, DatasetInvalid } from '../guide/dataset.ts';
import { RenderFailed } from '../guide/errors.ts';
import type { CompoundCatalog } from '../service/catalog.ts';
import { CompoundNotFound, QueueUnavailable } from '../service/errors.ts';
import type { EnsuredGuide, GuideService } from '../service/guides.ts';
import type { RegenerationJobs } from '../service/regenerations.ts';
import { InvalidStorageKey, StorageUnavailable } from '../storage/errors.ts';
import { JOB_ID_PATTERN } from '../storage/jobs.ts';
import { ClientAborted, type FieldProblem, HttpProblem, problem, respondProblem } from './problems.ts';

export const MAX_BODY_BYTES = 16 * 1024;

export interface AppLog {
  error(message: string, details: Record<string, unknown>): void;
  info(message: string, details: Record<string, unknown>): void;
}

export interface AppOptions {
  guides: GuideService;
  catalog: CompoundCatalog;
  keys: KeyVerifier;
  regenerations: RegenerationJobs;
  linkTtlSeconds: number;
  log: AppLog;
}

type Env = { Variables: { principal: Principal } };

export type GuidesApp = Hono<Env>;

const guideRequest = z.strictObject({
  force: z.boolean().optional(),
  expiresIn: z
    .number()
    .int('must be an integer')
    .min(60, 'must be at least 60')
    .max(3600, 'must be at most 3600')
    .optional(),
});

const regenerationRequest = z.union([
  z.strictObject({ all: z.literal(true), force: z.boolean().optional() }),
  z.strictObject({
    compoundIds: z
      .array(z.string().regex(COMPOUND_ID_PATTERN, 'must be a compound id'))
      .min(1, 'must name at least one compound')
      .max(1000, 'at most 1000 compounds'),
    force: z.boolean().optional(),
  }),
]);

function fieldProblems(error: z.ZodError, prefix = ''): FieldProblem[] {
  return error.issues.map((issue) => ({
    path:
      prefix +
      issue.path
        .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
        .join('')
        .replace(/^\./, ''),
    message:
      issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
  }));
}

function compoundId(raw: string): string {
  if (!COMPOUND_ID_PATTERN.test(raw)) {
    throw problem('invalid-request', 'The compound id is malformed.', [
      { path: 'id', message: 'must be lower-case letters, digits and inner hyphens (1-64 characters)' },
    ]);
  }
  return raw;
}

/** Reads an optional JSON body: empty means `{}`; anything that is not JSON is a 400. */
async function jsonBody(request: Request): Promise<unknown> {
  let text: string;
  try {
    text = await request.text();
  } catch (error) {
    // The body stream fails only when the connection does; a body too large is refused before it is read.
    if (error instanceof HttpProblem) throw error;
    throw new ClientAborted({ cause: error });
  }
  if (text.trim() === '') return {};
  // The content type is not checked: `curl -d` labels JSON as form data, and the body must parse as JSON anyway.
  try {
    return JSON.parse(text);
  } catch {
    throw problem('invalid-request', 'The body is not valid JSON.', [
      { path: '', message: 'not valid JSON' },
    ]);
  }
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw problem('invalid-request', 'The body is invalid.', fieldProblems(parsed.error));
  return parsed.data;
}

/** The methods each route answers (HEAD comes with GET). */
const ROUTE_METHODS: Record<string, string[]> = {
  '/healthz': ['GET', 'HEAD'],
  '/v1/compounds': ['GET', 'HEAD'],
  '/v1/guides/:id': ['GET', 'HEAD', 'POST'],
  '/v1/regenerations': ['POST'],
  '/v1/regenerations/:id': ['GET', 'HEAD'],
};

export function createApp(options: AppOptions): GuidesApp {
  const { guides, catalog, keys, regenerations, linkTtlSeconds, log } = options;
  const app = new Hono<Env>();

  app.use(secureHeaders({ crossOriginResourcePolicy: 'same-origin', referrerPolicy: 'no-referrer' }));
  app.use(async (c, next) => {
    await next();
    c.header('cache-control', c.res.headers.get('cache-control') ?? 'no-store');
  });

  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  const requireScope =
    (scope: Scope): MiddlewareHandler<Env> =>
    async (c, next) => {
      const header = c.req.header('authorization');
      const match = header ? /^Bearer ([\x21-\x7e]{1,512})$/.exec(header.trim()) : null;
      if (!match) {
        throw problem('unauthorized', 'Send an API key as "Authorization: Bearer <key>".');
      }
      const principal = await keys.verify(match[1]!);
      if (!principal) throw problem('unauthorized', 'The API key is not valid.');
      if (!principal.scopes.includes(scope)) {
        throw problem('forbidden', `The API key lacks the "${scope}" scope.`);
      }
      c.set('principal', principal);
      await next();
    };

  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw problem('payload-too-large', `The body exceeds ${MAX_BODY_BYTES} bytes.`);
    },
  });

  const guideAnswer = async (id: string, ensured: EnsuredGuide, expiresIn: number) => {
    const link = await guides.link(id, ensured, expiresIn);
    return {
      compoundId: id,
      url: link.url,
      expiresAt: link.expiresAt,
      sha256: ensured.pointer.sha256,
      bytes: ensured.pointer.bytes,
      pages: ensured.pointer.pages,
      generatedAt: ensured.pointer.generatedAt,
      cached: !ensured.rendered,
    };
  };

  app.get('/v1/compounds', requireScope('guides'), async (c) => {
    const compounds = await catalog.list();
    return c.json({
      compounds: compounds.map(({ id, name, reviewedAt, guide }) => ({
        id,
        name,
        reviewedAt,
        guide: guide
          ? {
              sha256: guide.sha256,
              bytes: guide.bytes,
              pages: guide.pages,
              generatedAt: guide.generatedAt,
              current: guide.current,
            }
          : null,
      })),
    });
  });

  app.post('/v1/guides/:id', requireScope('guides'), limit, async (c) => {
    const id = compoundId(c.req.param('id'));
    const body = parseWith(guideRequest, await jsonBody(c.req.raw));
    const ensured = await guides.ensure(id, { force: body.force ?? false });
    const answer = await guideAnswer(id, ensured, body.expiresIn ?? linkTtlSeconds);
    if (ensured.rendered)
      log.info('guide rendered', { compoundId: id, fingerprint: ensured.pointer.fingerprint });
    return c.json(answer, ensured.rendered ? 201 : 200);
  });

  app.get('/v1/guides/:id', requireScope('guides'), async (c) => {
    const id = compoundId(c.req.param('id'));
    const raw = c.req.query('expiresIn');
    let expiresIn = linkTtlSeconds;
    if (raw !== undefined) {
      const parsed = guideRequest.shape.expiresIn.safeParse(/^\d{1,6}$/.test(raw) ? Number(raw) : raw);
      if (!parsed.success || parsed.data === undefined) {
        throw problem('invalid-request', 'The expiresIn query parameter is invalid.', [
          { path: 'expiresIn', message: 'must be an integer from 60 to 3600' },
        ]);
      }
      expiresIn = parsed.data;
    }
    const ensured = await guides.ensure(id);
    const link = await guides.link(id, ensured, expiresIn);
    return c.redirect(link.url, 302);
  });

  app.post('/v1/regenerations', requireScope('admin'), limit, async (c) => {
    const body = parseWith(regenerationRequest, await jsonBody(c.req.raw));
    const job = await regenerations.start(
      'all' in body ? { all: true } : { compoundIds: body.compoundIds },
      body.force ?? false,
    );
    return c.json(job, 202);
  });

  app.get('/v1/regenerations/:id', requireScope('admin'), async (c) => {
    const jobId = c.req.param('id');
    if (!JOB_ID_PATTERN.test(jobId)) {
      throw problem('invalid-request', 'The job id is malformed.', [
        { path: 'id', message: 'must be a job id' },
      ]);
    }
    const status = await regenerations.status(jobId);
    if (!status) throw problem('not-found', `No regeneration job "${jobId}".`);
    return c.json(status);
  });

  // A real route asked with a method it does not answer: 405 naming the ones it does, not "no such route".
  for (const [path, methods] of Object.entries(ROUTE_METHODS)) {
    app.all(path, (c) =>
      respondProblem(
        c,
        problem('method-not-allowed', `${c.req.method} is not allowed here; use ${methods.join(' or ')}.`)
          .problem,
        { allow: methods.join(', ') },
      ),
    );
  }

  app.notFound((c) => respondProblem(c, problem('not-found', 'No such route.').problem));

  app.onError((error, c) => {
    if (error instanceof HttpProblem) {
      const headers: Record<string, string> =
        error.problem.status === 401 ? { 'www-authenticate': 'Bearer realm="guides"' } : {};
      return respondProblem(c, error.problem, headers);
    }
    if (error instanceof CompoundNotFound) {
      return respondProblem(
        c,
        problem('not-found', `No dataset for compound "${error.compoundId}".`).problem,
      );
    }
    if (error instanceof DatasetInvalid) {
      return respondProblem(
        c,
        problem('invalid-dataset', 'The stored dataset for this compound is invalid.', error.issues).problem,
      );
    }
    if (error instanceof StorageUnavailable) {
      log.error('storage unavailable', { error: error.message });
      return respondProblem(
        c,
        problem('storage-unavailable', 'Storage is unavailable; try again shortly.').problem,
        { 'retry-after': '5' },
      );
    }
    if (error instanceof QueueUnavailable) {
      log.error('queue unavailable', { error: error.message });
      return respondProblem(
        c,
        problem('queue-unavailable', 'Regenerations cannot be queued right now; try again shortly.').problem,
        { 'retry-after': '5' },
      );
    }
    if (error instanceof RenderFailed) {
      log.error('render failed', { error: error.message });
      return error.retryable
        ? respondProblem(
            c,
            problem('render-unavailable', 'No renderer is available right now; try again shortly.').problem,
            { 'retry-after': '5' },
          )
        : respondProblem(
            c,
            problem('render-failed', 'The guide for this dataset could not be rendered.', [
              { path: '', message: error.message },
            ]).problem,
          );
    }
    if (error instanceof ClientAborted) {
      // Not a fault of ours and no one is listening for the answer: one line, no stack.
      log.info('client aborted the request', { method: c.req.method, path: c.req.path });
      return respondProblem(c, problem('invalid-request', 'The request body did not arrive.').problem);
    }
    if (error instanceof InvalidStorageKey) {
      return respondProblem(
        c,
        problem('invalid-request', `The ${error.part} is malformed.`, [
          { path: 'id', message: `must be a valid ${error.part}` },
        ]).problem,
      );
    }
    if (error instanceof HTTPException && error.status < 500) {
      return respondProblem(c, problem('invalid-request', 'The request is malformed.').problem);
    }
    log.error('unhandled error', {
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    return respondProblem(c, problem('internal', 'Something went wrong on our side.').problem);
  });

  return app;
}
