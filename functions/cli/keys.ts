// `guides keys create --scope guides|admin [--label text]`, `guides keys revoke <id>`, `guides keys list`.
import { createApiKey, KEY_ID_PATTERN, SCOPES, type Scope } from '../auth/keys.ts';
import { loadSettings } from '../config.ts';
import { ObjectStore } from '../storage/objects.ts';
import { S3KeyRecords } from '../storage/keys.ts';
import { CliUsageError, type Command, parseCommandArgs } from './command.ts';
import { storageTarget } from './storage-target.ts';

export const keysCommand: Command = {
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      scope: { type: 'string', multiple: true },
      label: { type: 'string' },
    });
    const [action, ...rest] = positionals;
    const settings = loadSettings();
    const target = await storageTarget(settings);
    const records = new S3KeyRecords(
      new ObjectStore(target.client, settings.guidesBucket),
      settings.keysPrefix,
    );

    switch (action) {
      case 'create': {
        const scopes = values.scope ?? [];
        if (scopes.length === 0) throw new CliUsageError('name a scope: --scope guides or --scope admin');
        for (const scope of scopes) {
          if (!(SCOPES as readonly string[]).includes(scope)) {
            throw new CliUsageError(`unknown scope "${scope}" (expected ${SCOPES.join(' or ')})`);
          }
        }
        if (values.label !== undefined && !/^[\x20-\x7e]{1,100}$/.test(values.label)) {
          throw new CliUsageError('--label must be 1 to 100 printable ASCII characters');
        }
        const { key, record } = createApiKey(scopes as Scope[], new Date(), values.label);
        await records.put(record);
        process.stderr.write(
          `created key ${record.id} with scopes ${record.scopes.join(', ')} in ${target.description}\n`,
        );
        process.stderr.write('the key is shown once; store it now:\n');
        process.stdout.write(`${key}\n`);
        return 0;
      }
      case 'revoke': {
        const [id] = rest;
        if (!id || !KEY_ID_PATTERN.test(id))
          throw new CliUsageError('name the key id to revoke (12 hex characters)');
        const existed = await records.delete(id);
        process.stdout.write(existed ? `revoked key ${id}\n` : `no key ${id} (nothing to revoke)\n`);
        return existed ? 0 : 1;
      }
      case 'list': {
        for (const record of await records.list()) {
          process.stdout.write(
            `${record.id}  ${record.scopes.join(',').padEnd(13)} ${record.createdAt}  ${record.label ?? ''}\n`,
          );
        }
        return 0;
      }
      default:
        throw new CliUsageError(
          'usage: guides keys create --scope guides|admin [--label text] | keys revoke <id> | keys list',
        );
    }
  },
};
