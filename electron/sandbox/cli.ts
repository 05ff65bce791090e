// `npm run sandbox` (tsx electron/sandbox/cli.ts): the sandbox network on its own, with a steady
// stream of customers. Prints where it is, the CA to trust, the credentials to use and how to
// drive it with curl; Ctrl-C stops it.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startSandbox } from './index';

const HELP = `Usage: npm run sandbox -- [options]

  --port N          listen on 127.0.0.1:N (default 0: a free port)
  --data DIR        keep the sandbox CA in DIR (default ./.desk-data/sandbox)
  --seed N          the same seed makes the same customers say the same things (default 1)
  --schedule KIND   steady (default), storm, backlog or none
  --rate R          messages per second for steady/storm (default 0.5 / 1000)
  --count N         how many messages (backlog default 1000; storm 5000)
  --limits X        multiply every rate limit by X (default 1)
  --help            this text
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      data: { type: 'string', default: join('.desk-data', 'sandbox') },
      seed: { type: 'string', default: '1' },
      schedule: { type: 'string', default: 'steady' },
      rate: { type: 'string' },
      count: { type: 'string' },
      limits: { type: 'string', default: '1' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const number = (name: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number >= 0 (got ${text})`);
    return n;
  };
  const schedule = values.schedule;
  if (!['steady', 'storm', 'backlog', 'none'].includes(schedule)) throw new Error(`--schedule must be steady, storm, backlog or none (got ${schedule})`);

  const sandbox = await startSandbox({
    port: number('port', values.port) ?? 0,
    dataDir: resolve(values.data),
    seed: number('seed', values.seed) ?? 1,
    rateLimits: { multiplier: number('limits', values.limits) ?? 1 },
  });
  const base = `https://127.0.0.1:${sandbox.port}`;
  const ca = sandbox.caPath ?? '(in memory)';
  const curl = `curl --cacert '${ca}'`;
  const c = sandbox.x.credentials;
  const lines = [
    `Sandbox network ready on ${base} (hosts: api.x.com, upload.x.com, graph.facebook.com, sandbox.local)`,
    `CA certificate (trust it, or pass it as 'ca'): ${ca}`,
    '',
    `X: @${sandbox.x.username} (user id ${sandbox.x.userId})`,
    `  appKey=${c.appKey}`,
    `  appSecret=${c.appSecret}`,
    `  accessToken=${c.accessToken}`,
    `  accessSecret=${c.accessSecret}`,
    `  bearerToken=${c.bearerToken}`,
    `Facebook: page "${sandbox.facebook.pageName}" (id ${sandbox.facebook.pageId}), Graph ${sandbox.facebook.graphVersion}`,
    `  pageToken=${sandbox.facebook.pageToken}`,
    '',
    'Try:',
    `  ${curl} ${base}/inspector`,
    `  ${curl} --resolve api.x.com:${sandbox.port}:127.0.0.1 -H 'Authorization: Bearer ${c.bearerToken}' 'https://api.x.com:${sandbox.port}/2/users/${sandbox.x.userId}/mentions'`,
    `  ${curl} --resolve graph.facebook.com:${sandbox.port}:127.0.0.1 'https://graph.facebook.com:${sandbox.port}/${sandbox.facebook.graphVersion}/${sandbox.facebook.pageId}/feed?access_token=${sandbox.facebook.pageToken}'`,
    `  ${curl} -H 'content-type: application/json' -d '{"kind":"x.mention","text":"my router is down"}' ${base}/customers`,
    `  ${curl} -H 'content-type: application/json' -d '{"kind":"rate-limit","platform":"x","times":3}' ${base}/faults`,
    `  ${curl} -H 'content-type: application/json' -d '{"kind":"storm","ratePerSecond":1000,"durationMs":30000}' ${base}/schedule`,
    `  ${curl} ${base}/   (everything else)`,
  ];
  process.stdout.write(lines.join('\n') + '\n');

  if (schedule !== 'none') {
    const options: { ratePerSecond?: number; count?: number } = {};
    const rate = number('rate', values.rate);
    const count = number('count', values.count);
    if (rate !== undefined) options.ratePerSecond = rate;
    if (count !== undefined) options.count = count;
    const handle = sandbox.customers.schedule(schedule as 'steady' | 'storm' | 'backlog', options);
    process.stdout.write(`Customers: ${schedule} schedule running${rate !== undefined ? ` at ${rate}/s` : ''}. Ctrl-C stops the sandbox.\n`);
    void handle.done.then((n) => process.stdout.write(`Customers: ${schedule} schedule made ${n} messages.\n`));
  }
  process.stdout.write(JSON.stringify({ port: sandbox.port, caPath: sandbox.caPath, x: sandbox.x, facebook: sandbox.facebook }) + '\n');

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void sandbox.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`sandbox: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
