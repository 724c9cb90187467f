// The embedded S3 server's keys: random per state folder, kept there (mode 0600) so the CLI reaches the same server.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

const credentialsSchema = z.object({ accessKeyId: z.string().min(1), secretAccessKey: z.string().min(1) });

export type LocalCredentials = z.infer<typeof credentialsSchema>;

/** The keys kept in `stateDir`, made (and kept) when missing or unreadable. */
export async function localCredentials(stateDir: string): Promise<LocalCredentials> {
  const file = join(stateDir, 's3-credentials.json');
  try {
    const stored = credentialsSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    if (stored.success) return stored.data;
  } catch {
    // Missing or not JSON: make new ones.
  }
  const created = {
    accessKeyId: `LOCAL${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(24).toString('base64url'),
  };
  await mkdir(stateDir, { recursive: true });
  await writeFile(file, `${JSON.stringify(created)}\n`, { mode: 0o600 });
  return created;
}
