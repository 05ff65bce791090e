/**
 * Where server mode gets its sandbox network: started in this process (the default, with
 * simulated customers writing in at a gentle pace), or an external one started with
 * `npm run sandbox`, described by the JSON line it prints (saved to a file). The external kind
 * outlives the desk, which is what crash tests need: kill the desk, keep the network.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { SandboxFactory, SandboxNetwork } from '../core/network';
import { createSandboxDispatcher, createSandboxHttpsAgent, startSandbox } from '../sandbox';

export type SandboxTraffic = 'steady' | 'off';

export function inProcessSandbox(dataDir: string, traffic: SandboxTraffic): SandboxFactory {
  return async () => {
    const sandbox = await startSandbox({ dataDir: join(dataDir, 'sandbox') });
    const schedule = traffic === 'steady' ? sandbox.customers.schedule('steady') : null;
    return {
      x: sandbox.x,
      facebook: sandbox.facebook,
      httpsAgent: () => sandbox.httpsAgent(),
      dispatcher: () => sandbox.dispatcher(),
      close: async () => {
        schedule?.stop();
        await sandbox.close();
      },
    };
  };
}

const Credentials = z.object({ appKey: z.string(), appSecret: z.string(), accessToken: z.string(), accessSecret: z.string(), bearerToken: z.string() });
const ExternalSandbox = z.object({
  port: z.number().int().min(1).max(65535),
  caPath: z.string(),
  x: z.object({ userId: z.string(), username: z.string(), credentials: Credentials }),
  facebook: z.object({ pageId: z.string(), pageName: z.string(), pageToken: z.string(), graphVersion: z.string() }),
});

/** The sandbox described by `file` (the JSON line `npm run sandbox` prints). */
export function externalSandbox(file: string): SandboxFactory {
  return async (): Promise<SandboxNetwork> => {
    let description: z.infer<typeof ExternalSandbox>;
    try {
      description = ExternalSandbox.parse(JSON.parse(readFileSync(file, 'utf8')));
    } catch (error) {
      throw new Error(`${file} does not describe a sandbox (save the JSON line \`npm run sandbox\` prints)`, { cause: error });
    }
    const endpoint = { port: description.port, caPem: readFileSync(description.caPath, 'utf8') };
    const agent = createSandboxHttpsAgent(endpoint);
    const dispatcher = createSandboxDispatcher(endpoint);
    return {
      x: description.x,
      facebook: description.facebook,
      httpsAgent: () => agent,
      dispatcher: () => dispatcher,
      close: async () => {
        agent.destroy();
        await dispatcher.close();
      },
    };
  };
}
