// RFC 9457 problem details: the one place where typed errors become HTTP statuses and bodies.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export interface FieldProblem {
  path: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: ContentfulStatusCode;
  detail: string;
  errors?: FieldProblem[];
}

/** An error a route raises on purpose; `problem` is safe to show to the client as it is. */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}

const TITLES: Record<string, [ContentfulStatusCode, string]> = {
  'invalid-request': [400, 'Invalid request'],
  unauthorized: [401, 'Unauthorized'],
  forbidden: [403, 'Forbidden'],
  'not-found': [404, 'Not found'],
  'payload-too-large': [413, 'Payload too large'],
  'method-not-allowed': [405, 'Method not allowed'],
  'request-timeout': [408, 'Request timeout'],
  'headers-too-large': [431, 'Request header fields too large'],
  'invalid-dataset': [422, 'Dataset invalid'],
  'render-failed': [422, 'Guide could not be rendered'],
  'render-unavailable': [503, 'Rendering unavailable'],
  'storage-unavailable': [503, 'Storage unavailable'],
  'queue-unavailable': [503, 'Queue unavailable'],
  internal: [500, 'Internal error'],
};

export type ProblemKind = keyof typeof TITLES & string;

export function problem(kind: ProblemKind, detail: string, errors?: FieldProblem[]): HttpProblem {
  const [status, title] = TITLES[kind]!;
  return new HttpProblem({ type: `/problems/${kind}`, title, status, detail, ...(errors ? { errors } : {}) });
}

export function respondProblem(c: Context, body: Problem, headers: Record<string, string> = {}): Response {
  return c.newResponse(JSON.stringify(body), body.status, {
    'content-type': 'application/problem+json',
    'cache-control': 'no-store',
    ...headers,
  });
}

/** The client went away while its request body was still arriving: nothing to answer, nothing broken here. */
export class ClientAborted extends Error {
  override readonly name = 'ClientAborted';
  constructor(options?: { cause?: unknown }) {
    super('the client closed the connection before its request body arrived', options);
  }
}

/** The problem for a request Node's HTTP parser refused (by its error code), before any route saw it. */
export function clientErrorProblem(code: string | undefined): Problem {
  if (code === 'HPE_HEADER_OVERFLOW')
    return problem('headers-too-large', 'The request headers are too large.').problem;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return problem('request-timeout', 'The request did not arrive in time.').problem;
  return problem('invalid-request', 'The request is not valid HTTP.').problem;
}
