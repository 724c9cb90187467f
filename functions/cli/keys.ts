// `guides keys create --scope guides|admin [--label text]`, `guides keys revoke <id>`, `guides keys list`.
import type { Scope } from '../auth/keys.ts';
import { CliUsageError, type Command, parseCommandArgs } from './command.ts';

const ACTIONS = ['create', 'revoke', 'list'];

export const keysCommand: Command = {
  usage: `usage: guides keys create --scope guides|admin [--scope …] [--label text]
       guides keys revoke <id>
       guides keys list

API keys for the HTTP API, stored only as SHA-256 hashes under keys/ in the guides bucket (the same
S3 as \`guides regenerate\`: GUIDES_S3_ENDPOINT, AWS, or the local server of \`npm start\`).

  create   makes a key with the given scopes (guides: the guide routes; admin: regenerations) and
           prints it once on stdout
  revoke   deletes the key with this id (12 hex characters); exit 1 when there was none
  list     prints id, scopes, creation time and label of every key

options:
  --scope <guides|admin>   a scope of the new key (repeat for both)
  --label <text>           a note kept with the key (1 to 100 printable ASCII characters)
  -h, --help               show this help
`,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      scope: { type: 'string', multiple: true },
      label: { type: 'string' },
    });
    const [action, ...rest] = positionals;
    if (action === undefined) throw new CliUsageError('name an action: create, revoke or list');
    if (!ACTIONS.includes(action)) throw new CliUsageError(`unknown action "${action}"`);
    if (action !== 'create' && (values.scope !== undefined || values.label !== undefined))
      throw new CliUsageError(`--scope and --label belong to \`keys create\`, not \`keys ${action}\``);
    if (rest.length > (action === 'revoke' ? 1 : 0))
      throw new CliUsageError(`unexpected argument "${rest.at(-1)}"`);

    const { createApiKey, KEY_ID_PATTERN, SCOPES } = await import('../auth/keys.ts');
    const scopes = values.scope ?? [];
    if (action === 'create') {
      if (scopes.length === 0) throw new CliUsageError('name a scope: --scope guides or --scope admin');
      for (const scope of scopes) {
        if (!(SCOPES as readonly string[]).includes(scope))
          throw new CliUsageError(`unknown scope "${scope}" (expected ${SCOPES.join(' or ')})`);
      }
      if (values.label !== undefined && !/^[\x20-\x7e]{1,100}$/.test(values.label))
        throw new CliUsageError('--label must be 1 to 100 printable ASCII characters');
    }
    const id = rest[0];
    if (action === 'revoke' && (!id || !KEY_ID_PATTERN.test(id)))
      throw new CliUsageError('name the key id to revoke (12 hex characters)');

    const [{ loadSettings }, { ObjectStore }, { S3KeyRecords }, { storageTarget }] = await Promise.all([
      import('../config.ts'),
      import('../storage/objects.ts'),
      import('../storage/keys.ts'),
      import('./storage-target.ts'),
    ]);
    const settings = loadSettings();
    const target = await storageTarget(settings);
    const records = new S3KeyRecords(
      new ObjectStore(target.client, settings.guidesBucket),
      settings.keysPrefix,
    );
    try {
      if (action === 'create') {
        const { key, record } = createApiKey(scopes as Scope[], new Date(), values.label);
        await records.put(record);
        process.stderr.write(
          `created key ${record.id} with scopes ${record.scopes.join(', ')} in ${target.description}\n`,
        );
        process.stderr.write('the key is shown once; store it now:\n');
        process.stdout.write(`${key}\n`);
        return 0;
      }
      if (action === 'revoke') {
        const existed = await records.delete(id!);
        process.stdout.write(existed ? `revoked key ${id}\n` : `no key ${id} (nothing to revoke)\n`);
        return existed ? 0 : 1;
      }
      for (const record of await records.list()) {
        process.stdout.write(
          `${record.id}  ${record.scopes.join(',').padEnd(13)} ${record.createdAt}  ${record.label ?? ''}\n`,
        );
      }
      return 0;
    } finally {
      target.client.destroy();
    }
  },
};
