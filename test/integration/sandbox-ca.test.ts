// The sandbox's certificate authority: created once in the data dir, reused, never silently
// replaced; the server certificate covers every platform host; the agents go nowhere else.
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { fetch } from 'undici';
import { CA_CERT_FILE, CA_KEY_FILE, startSandbox } from '../../electron/sandbox/index';

describe('sandbox certificate authority', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-ca-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the CA in dataDir at the first run and reuses it afterwards', async () => {
    const first = await startSandbox({ dataDir: dir });
    await first.close();
    expect(existsSync(join(dir, CA_CERT_FILE))).toBe(true);
    expect(statSync(join(dir, CA_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, CA_CERT_FILE), 'utf8')).toBe(first.caPem);
    expect(first.caPath).toBe(join(dir, CA_CERT_FILE));

    const second = await startSandbox({ dataDir: dir });
    try {
      expect(second.caPem).toBe(first.caPem);
      const ca = new X509Certificate(second.caPem);
      expect(ca.ca).toBe(true);
      // The server certificate is new each run, signed by that CA, for every host the sandbox serves.
      const peer = await new Promise<X509Certificate>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port: second.port, servername: 'graph.facebook.com', ca: second.caPem }, () => {
          const cert = socket.getPeerX509Certificate();
          socket.end();
          if (cert) resolve(cert);
          else reject(new Error('no certificate'));
        });
        socket.on('error', reject);
      });
      expect(peer.checkIssued(ca)).toBe(true);
      for (const host of ['api.x.com', 'upload.x.com', 'graph.facebook.com', 'sandbox.local']) expect(peer.subjectAltName).toContain(`DNS:${host}`);
      expect(peer.subjectAltName).toContain('IP Address:127.0.0.1');
    } finally {
      await second.close();
    }
  });

  it('refuses a damaged CA with a message instead of replacing it', async () => {
    const damaged = mkdtempSync(join(tmpdir(), 'sandbox-ca-bad-'));
    try {
      writeFileSync(join(damaged, CA_CERT_FILE), 'not a certificate');
      writeFileSync(join(damaged, CA_KEY_FILE), 'not a key');
      await expect(startSandbox({ dataDir: damaged })).rejects.toThrow(/cannot be read.*Delete sandbox-ca\.pem and sandbox-ca\.key/);
      expect(readFileSync(join(damaged, CA_CERT_FILE), 'utf8')).toBe('not a certificate');
      rmSync(join(damaged, CA_KEY_FILE));
      await expect(startSandbox({ dataDir: damaged })).rejects.toThrow(/Only one of/);
    } finally {
      rmSync(damaged, { recursive: true, force: true });
    }
  });

  it('lets the agents reach only the sandbox hosts; an untrusting client is refused', async () => {
    const sandbox = await startSandbox();
    try {
      await expect(fetch('https://example.com/', { dispatcher: sandbox.dispatcher() })).rejects.toThrow();
      const viaAgent = await new Promise<string>((resolve) => {
        const req = request({ host: 'example.com', path: '/', agent: sandbox.httpsAgent() }, () => resolve('answered'));
        req.on('error', (error: Error & { code?: string }) => resolve(error.code ?? error.message));
        req.end();
      });
      expect(viaAgent).toBe('ERR_SANDBOX_HOST');
      // Without the sandbox CA the certificate is not trusted.
      const untrusted = await new Promise<string>((resolve) => {
        const req = request({ host: '127.0.0.1', port: sandbox.port, path: '/' }, () => resolve('answered'));
        req.on('error', (error: Error & { code?: string }) => resolve(error.code ?? error.message));
        req.end();
      });
      expect(untrusted).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/);
    } finally {
      await sandbox.close();
    }
  });
});
