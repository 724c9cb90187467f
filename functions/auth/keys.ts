// API keys: created once and shown once, stored only as SHA-256 hashes with scopes, revoked by deleting
// the record. Verification caches records briefly, so a revocation takes effect within `cacheTtlMs`.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { LRUCache } from '@aws-lambda-powertools/commons/utils/lru-cache';
import { z } from 'zod';

export const SCOPES = ['guides', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

// gk_<12 hex id>_<43 base64url chars of secret>: the id finds the record, the hash proves the secret.
const KEY_PATTERN = /^gk_([0-9a-f]{12})_[A-Za-z0-9_-]{43}$/;
export const KEY_ID_PATTERN = /^[0-9a-f]{12}$/;

/** A stored key: never the key itself, only its hash and what it may do. */
export const apiKeyRecordSchema = z.object({
  id: z.string().regex(KEY_ID_PATTERN),
  /** sha256 of the whole key, hex. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  scopes: z.array(z.enum(SCOPES)),
  createdAt: z.string(),
  label: z.string().optional(),
});

export type ApiKeyRecord = z.infer<typeof apiKeyRecordSchema>;

/** Where key records live (objects under `keys/` in the guides bucket, in practice). */
export interface KeyRecords {
  get(id: string): Promise<ApiKeyRecord | null>;
  put(record: ApiKeyRecord): Promise<void>;
  delete(id: string): Promise<boolean>;
  /** Every stored key id, from one listing. */
  listIds(): Promise<Set<string>>;
}

/** Who a verified key belongs to. */
export interface Principal {
  keyId: string;
  scopes: readonly Scope[];
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

export function createApiKey(
  scopes: Scope[],
  now: Date,
  label?: string,
): { key: string; record: ApiKeyRecord } {
  const id = randomBytes(6).toString('hex');
  const key = `gk_${id}_${randomBytes(32).toString('base64url')}`;
  const record: ApiKeyRecord = {
    id,
    sha256: sha256(key).toString('hex'),
    scopes: [...new Set(scopes)],
    createdAt: now.toISOString(),
  };
  if (label) record.label = label;
  return { key, record };
}

interface CachedRecord {
  record: ApiKeyRecord | null;
  expires: number;
}

export interface KeyVerifierOptions {
  /** The local development key; it has every scope and no record. */
  devKey?: string | undefined;
  cacheTtlMs?: number;
  /** Bound on cached lookups, so random key ids cannot grow memory without limit. */
  maxCached?: number;
  /**
   * How long a listing of key ids is trusted to say an id does not exist (default 5 s, at most `cacheTtlMs`): a flood
   * of made-up `gk_` keys then costs one listing per period instead of one read per key. A new key works once the
   * listing is this old.
   */
  idListTtlMs?: number;
  now?: () => number;
}

export class KeyVerifier {
  private readonly cache: LRUCache<string, CachedRecord>;
  private readonly inflight = new Map<string, Promise<ApiKeyRecord | null>>();
  private ids: { known: Set<string>; until: number } | undefined;
  private idsLoading: Promise<Set<string>> | undefined;
  private readonly idListTtl: number;
  private readonly devKeyHash: Buffer | undefined;
  private readonly ttl: number;
  private readonly now: () => number;

  constructor(
    private readonly records: KeyRecords,
    options: KeyVerifierOptions = {},
  ) {
    this.devKeyHash = options.devKey ? sha256(options.devKey) : undefined;
    this.ttl = options.cacheTtlMs ?? 30_000;
    this.idListTtl = Math.min(options.idListTtlMs ?? 5_000, this.ttl);
    this.cache = new LRUCache({ maxSize: options.maxCached ?? 10_000 });
    this.now = options.now ?? Date.now;
  }

  /** The principal for a presented key, or null when it is unknown, malformed or revoked. */
  async verify(presented: string): Promise<Principal | null> {
    if (presented.length > 256) return null;
    const hash = sha256(presented);
    if (this.devKeyHash && timingSafeEqual(hash, this.devKeyHash)) return { keyId: 'dev', scopes: SCOPES };
    const match = KEY_PATTERN.exec(presented);
    if (!match) return null;
    const record = await this.lookup(match[1]!);
    if (!record) return null;
    const stored = Buffer.from(record.sha256, 'hex');
    if (stored.length !== hash.length || !timingSafeEqual(stored, hash)) return null;
    return { keyId: record.id, scopes: record.scopes };
  }

  private async lookup(id: string): Promise<ApiKeyRecord | null> {
    const cached = this.cache.get(id);
    if (cached && cached.expires > this.now()) return cached.record;
    const pending = this.inflight.get(id);
    if (pending) return pending;
    if (!(await this.listed(id))) return null;
    const load = this.records
      .get(id)
      .then((record) => {
        this.cache.add(id, { record, expires: this.now() + this.ttl });
        return record;
      })
      .finally(() => this.inflight.delete(id));
    this.inflight.set(id, load);
    return load;
  }

  /** Whether a recent listing of key ids has this id; the listing is shared and refreshed when it is too old. */
  private async listed(id: string): Promise<boolean> {
    if (this.ids && this.ids.until > this.now()) return this.ids.known.has(id);
    this.idsLoading ??= this.records
      .listIds()
      .then((known) => {
        this.ids = { known, until: this.now() + this.idListTtl };
        return known;
      })
      .finally(() => {
        this.idsLoading = undefined;
      });
    return (await this.idsLoading).has(id);
  }
}
