// `guides serve` (what `npm start` runs): local mode in the foreground until Ctrl-C.
import { loadSettings } from '../config.ts';
import { createLocalLog } from '../local/log.ts';
import { startLocalService } from '../local/service.ts';
import type { Command } from './command.ts';

export const serveCommand: Command = {
  async run() {
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
