// The local queue's memory of job items not yet finished, one small file per item under the state folder, so that a
// crash loses none: SQS keeps messages on AWS; locally a restart reads these back and runs them again.
import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type RegenerationMessage, regenerationMessageSchema } from '../service/messages.ts';

export class WorkJournal {
  private constructor(private readonly dir: string) {}

  /** Opens (creating) the journal folder and removes half-written entries a crash left behind. */
  static async open(dir: string): Promise<WorkJournal> {
    await mkdir(dir, { recursive: true });
    for (const name of await readdir(dir)) {
      if (name.endsWith('.partial')) await rm(join(dir, name), { force: true });
    }
    return new WorkJournal(dir);
  }

  /** Remembers a job item until `finish`; an item without a job (a freshness check) is not worth remembering. */
  async add(message: RegenerationMessage): Promise<string | undefined> {
    if (message.jobId === undefined) return undefined;
    // Both parts match fixed patterns of lower-case letters, digits and hyphens: safe as a file name.
    const name = `${message.jobId}.${message.compoundId}.json`;
    const staged = join(this.dir, `${name}.${randomUUID()}.partial`);
    const handle = await open(staged, 'wx');
    try {
      await handle.writeFile(JSON.stringify(message));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(staged, join(this.dir, name));
    return name;
  }

  /** Forgets a finished item (succeeded, skipped, or failed for good). */
  async finish(entry: string): Promise<void> {
    await rm(join(this.dir, entry), { force: true });
  }

  /** The items a previous run left unfinished; an unreadable entry is dropped. */
  async unfinished(): Promise<{ entry: string; message: RegenerationMessage }[]> {
    const found: { entry: string; message: RegenerationMessage }[] = [];
    for (const entry of (await readdir(this.dir)).filter((name) => name.endsWith('.json')).sort()) {
      let value: unknown;
      try {
        value = JSON.parse(await readFile(join(this.dir, entry), 'utf8'));
      } catch {
        value = undefined;
      }
      const parsed = regenerationMessageSchema.safeParse(value);
      if (parsed.success) found.push({ entry, message: parsed.data });
      else await this.finish(entry);
    }
    return found;
  }
}
