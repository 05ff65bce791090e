/**
 * A desk process for the SIGKILL test (run with `node --import tsx`): opens the store, runs an
 * outbox whose X sender does the real request and then hangs before the outcome is committed,
 * so the parent can kill it between the platform's answer and the store's commit.
 *
 * Input: OUTBOX_CHILD env var, JSON {dataDir, port, caPem, credentials, clockMs}.
 * Output: one stdout line `sent <resultId>` once the platform has answered.
 */
import { ManualClock } from '../../electron/core/clock';
import { openStore } from '../../electron/core/store';
import { createOutbox, createXSender, manualOutboxTimers, type Sender } from '../../electron/core/outbox';
import { createSandboxHttpsAgent } from '../../electron/sandbox/index';
import type { XCredentials } from '../../electron/core/network';

interface ChildInput {
  dataDir: string;
  port: number;
  caPem: string;
  credentials: XCredentials;
  clockMs: number;
}

const input = JSON.parse(process.env.OUTBOX_CHILD ?? '{}') as ChildInput;
const clock = new ManualClock(input.clockMs);
const store = await openStore(input.dataDir);
const real = createXSender({ credentials: input.credentials, transport: { httpsAgent: createSandboxHttpsAgent({ port: input.port, caPem: input.caPem }) }, clock });
const hanging: Sender = {
  account: 'x',
  find: (action, request) => real.find(action, request),
  async send(action) {
    const result = await real.send(action);
    process.stdout.write(`sent ${result.resultId ?? ''}\n`);
    setInterval(() => undefined, 60_000); // keep the process alive: the parent kills it here
    return new Promise<never>(() => undefined);
  },
};
const outbox = createOutbox({ db: store.db, clock, senders: { x: hanging }, timers: manualOutboxTimers });
await outbox.start();
await outbox.kick();
