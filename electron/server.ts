/**
 * Server mode: the desk without Electron. Runs the core under plain Node and serves the console
 * to a browser on 127.0.0.1, guarded by a token made fresh at each launch.
 *
 * stdout carries exactly one line, `Desk ready at http://127.0.0.1:<port>/#token=<token>`, so
 * scripts and tests can wait for it; everything else goes to stderr and the log file.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDesk } from './core/desk';
import { createLogger } from './core/logger';
import { FileSecretStore } from './core/secrets';
import { startLocalApi } from './server/local-api';
import { parseServerArgs, USAGE, UsageError } from './server/options';
import { externalSandbox, inProcessSandbox } from './server/sandbox';
import { deskVersion } from './server/version';

const STATIC_DIR = fileURLToPath(new URL('../dist/renderer/', import.meta.url));

async function main(argv: readonly string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stderr.write(`${USAGE}\n`);
    return;
  }
  const options = parseServerArgs(argv);
  const log = createLogger({ file: join(options.dataDir, 'logs', 'desk.log'), stderrLevel: 'warn' });
  const desk = createDesk({
    dataDir: options.dataDir,
    version: deskVersion(),
    secrets: new FileSecretStore(join(options.dataDir, 'secrets.json')),
    logger: log,
    sandbox: options.sandboxFile ? externalSandbox(options.sandboxFile) : inProcessSandbox(options.dataDir, options.sandboxTraffic),
  });
  await desk.start();

  const token = randomBytes(32).toString('base64url');
  let api;
  try {
    api = await startLocalApi({ desk, token, port: options.port, staticDir: STATIC_DIR, logger: log });
  } catch (error) {
    await desk.stop();
    const code = (error as NodeJS.ErrnoException).code;
    throw code === 'EADDRINUSE' ? new UsageError(`port ${options.port} is already in use; pick another with --port`) : error;
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      process.stderr.write(`${signal} again: exiting without a clean stop\n`);
      process.exit(1);
    }
    stopping = true;
    log.info('stopping', { signal });
    void api
      .close()
      .then(() => desk.stop())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          log.error('unclean stop', { error });
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  process.stdout.write(`Desk ready at http://127.0.0.1:${api.port}/#token=${token}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${error instanceof UsageError ? `${message}\n${USAGE}` : `The desk could not start: ${message}`}\n`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
