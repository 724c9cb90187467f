// `guides serve` (what `npm start` runs): local mode in the foreground until Ctrl-C.
import { CliUsageError, type Command, parseCommandArgs } from './command.ts';

export const serveCommand: Command = {
  usage: `usage: guides serve

Runs the whole service on this machine (what \`npm start\` runs): an S3-compatible server on
127.0.0.1 (data kept in GUIDES_STATE_DIR), the datasets of GUIDES_DATA_DIR uploaded into it, the API
on http://127.0.0.1:PORT, and a watcher that rebuilds a guide when its dataset changes. Prints a
development API key and a curl line to try. Ctrl-C stops it.

settings (environment): PORT (3000), GUIDES_S3_PORT (4569), GUIDES_DATA_DIR (data),
GUIDES_STATE_DIR (.guides), GUIDES_DEV_API_KEY (generated when unset), GUIDES_LINK_TTL_SECONDS (900),
GUIDES_LOG_LEVEL (info)

options:
  -h, --help   show this help
`,
  async run(args) {
    const { positionals } = parseCommandArgs(args, {});
    if (positionals.length > 0) throw new CliUsageError('takes no arguments');
    const [{ loadSettings }, { createLocalLog }, { startLocalService }] = await Promise.all([
      import('../config.ts'),
      import('../local/log.ts'),
      import('../local/service.ts'),
    ]);
    const settings = loadSettings();
    const log = createLocalLog(settings.logLevel);
    const service = await startLocalService(settings, { log });
    const example = `curl -s -X POST -H "Authorization: Bearer ${service.devApiKey}" ${service.apiUrl}/v1/guides/levomilnacipran`;
    process.stdout.write(
      [
        '',
        `Technical guides service running (local mode)`,
        `  API            ${service.apiUrl}`,
        `  S3 (embedded)  ${service.s3.endpoint}  data in ${settings.stateDir}`,
        `  datasets from  ${settings.dataDir} (edits are picked up)`,
        `  dev API key    ${service.devApiKey}   (scopes guides, admin)`,
        '',
        `Try:  ${example}`,
        'Ctrl-C stops.',
        '',
      ].join('\n'),
    );

    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        log.info('shutting down');
        // A shutdown that hangs ends the process anyway, after the drains (3.5 s at most) have had their time.
        const force = setTimeout(() => process.exit(130), 8_000);
        force.unref();
        service.close().then(resolve, resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    return 0;
  },
};
