/**
 * The console's client, without a browser: token handling, event coalescing and the
 * validation of everything the desk sends back. The transport and the frame clock are fakes.
 */
import { describe, expect, it } from 'vitest';
import type { AuditEntry, DeskEvent, DeskStatus, Settings } from '../../electron/core/contract';
import { compactDeskEvents, EventCoalescer } from '../../renderer/src/client/coalesce';
import {
  createDeskClient,
  DeskCallError,
  parseEventBatch,
  type ConnectionState,
  type DeskTransport,
} from '../../renderer/src/client/desk-client';
import { resolveToken, tokenFromHash } from '../../renderer/src/client/token';

const TOKEN = 'Qx9_abc-DEF123456789xyzQx9_abc-DEF123456789x';

/** Frames that run only when the test says so. */
function manualFrames() {
  const queued: (() => void)[] = [];
  return {
    schedule: (flush: () => void) => void queued.push(flush),
    get waiting() {
      return queued.length;
    },
    runFrame() {
      const now = queued.splice(0);
      for (const flush of now) flush();
    },
  };
}

const settings: Settings = { deskName: 'North Desk', timeZone: 'Europe/Paris', timeFormat: '24h', backfillHours: 24, xStream: false, offerTimeoutSeconds: 60 };

function status(deskName: string): DeskStatus {
  return {
    deskName,
    version: '0.1.0',
    startedAt: 1_000,
    now: 2_000,
    timeZone: 'UTC',
    timeFormat: '24h',
    network: { mode: 'sandbox', reason: 'No account' },
    deskState: { state: 'open', reason: 'Always open' },
    store: { schemaVersion: 1, dataDir: '/tmp/desk' },
  };
}

function audit(id: number): AuditEntry {
  return { id, at: 1_000 + id, actor: 'console', action: 'settings.updated', subject: 'deskName', detail: null };
}

class FakeTransport implements DeskTransport {
  readonly kind = 'server' as const;
  readonly calls: { name: string; input: unknown }[] = [];
  answer: (name: string, input: unknown) => unknown = () => ({ ok: true, value: {} });
  private eventListeners = new Set<(batch: unknown) => void>();
  closed = false;

  async call(name: string, input: unknown): Promise<unknown> {
    this.calls.push({ name, input });
    return this.answer(name, input);
  }
  onEvents(listener: (batch: unknown) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }
  onConnection(_listener: (state: ConnectionState) => void): () => void {
    return () => undefined;
  }
  connection(): ConnectionState {
    return 'live';
  }
  close(): void {
    this.closed = true;
  }
  send(batch: unknown): void {
    for (const listener of this.eventListeners) listener(batch);
  }
}

describe('server-mode token', () => {
  it('is read from a #token= fragment', () => {
    expect(tokenFromHash(`#token=${TOKEN}`)).toBe(TOKEN);
    expect(tokenFromHash(`token=${TOKEN}`)).toBe(TOKEN);
    expect(tokenFromHash(`#/settings&token=${TOKEN}`)).toBe(TOKEN);
  });

  it('is not found in a page route or a malformed value', () => {
    expect(tokenFromHash('#/settings')).toBeNull();
    expect(tokenFromHash('')).toBeNull();
    expect(tokenFromHash('#token=')).toBeNull();
    expect(tokenFromHash('#token=has spaces in it')).toBeNull();
    expect(tokenFromHash('#token=a,b')).toBeNull();
    expect(tokenFromHash('#mytoken=abcdefghijklmnop')).toBeNull();
  });

  it('prefers the fresh token in the address over a stored one, and asks for the address bar to be cleaned', () => {
    expect(resolveToken(`#token=${TOKEN}`, 'older-token-from-storage')).toEqual({ token: TOKEN, mustCleanAddressBar: true });
  });

  it('falls back to the stored token after a reload (the address no longer has one)', () => {
    expect(resolveToken('', TOKEN)).toEqual({ token: TOKEN, mustCleanAddressBar: false });
    expect(resolveToken('#/settings', TOKEN)).toEqual({ token: TOKEN, mustCleanAddressBar: false });
  });

  it('has no token when neither the address nor storage holds a usable one, and still cleans a bad one away', () => {
    expect(resolveToken('', null)).toEqual({ token: null, mustCleanAddressBar: false });
    expect(resolveToken('#token=bad token', null)).toEqual({ token: null, mustCleanAddressBar: true });
    expect(resolveToken('', 'not a token!')).toEqual({ token: null, mustCleanAddressBar: false });
  });
});

describe('event coalescing', () => {
  it('delivers any number of pushes within a frame as one batch, in order', () => {
    const frames = manualFrames();
    const delivered: number[][] = [];
    const coalescer = new EventCoalescer<number>(frames.schedule, (batch) => delivered.push(batch));
    for (let i = 0; i < 1_000; i += 1) coalescer.push([i]);
    expect(frames.waiting).toBe(1);
    expect(delivered).toEqual([]);
    frames.runFrame();
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toEqual(Array.from({ length: 1_000 }, (_, i) => i));

    coalescer.push([1_000, 1_001]);
    frames.runFrame();
    expect(delivered).toEqual([expect.any(Array), [1_000, 1_001]]);
  });

  it('schedules nothing for empty batches and delivers nothing for an empty frame', () => {
    const frames = manualFrames();
    const delivered: number[][] = [];
    const coalescer = new EventCoalescer<number>(frames.schedule, (batch) => delivered.push(batch));
    coalescer.push([]);
    expect(frames.waiting).toBe(0);
    coalescer.flush();
    expect(delivered).toEqual([]);
  });

  it('survives one enormous batch (no spread into push)', () => {
    const frames = manualFrames();
    let size = 0;
    const coalescer = new EventCoalescer<number>(frames.schedule, (batch) => (size = batch.length));
    coalescer.push(new Array<number>(300_000).fill(1));
    frames.runFrame();
    expect(size).toBe(300_000);
  });

  it('keeps only the newest status and settings snapshot, and every audit entry', () => {
    const events: DeskEvent[] = [
      { type: 'statusChanged', payload: status('A') },
      { type: 'auditAppended', payload: audit(1) },
      { type: 'settingsChanged', payload: settings },
      { type: 'statusChanged', payload: status('B') },
      { type: 'auditAppended', payload: audit(2) },
      { type: 'settingsChanged', payload: { ...settings, deskName: 'Last' } },
    ];
    expect(compactDeskEvents(events)).toEqual([events[1], events[3], events[4], events[5]]);
    const audits = [events[1]!, events[4]!];
    expect(compactDeskEvents(audits)).toBe(audits);
  });
});

describe('desk client', () => {
  it('has one method per command and returns the validated value', async () => {
    const transport = new FakeTransport();
    transport.answer = (name) => (name === 'getSettings' ? { ok: true, value: settings } : { ok: false, error: { code: 'internal', message: '?' } });
    const client = createDeskClient(transport, { schedule: manualFrames().schedule });
    expect(typeof client.getStatus).toBe('function');
    expect(typeof client.readAuditLog).toBe('function');
    await expect(client.getSettings({})).resolves.toEqual(settings);
    expect(transport.calls).toEqual([{ name: 'getSettings', input: {} }]);
  });

  it('turns a refusal into a DeskCallError with the desk’s code and message', async () => {
    const transport = new FakeTransport();
    transport.answer = () => ({ ok: false, error: { code: 'bad_input', message: 'updateSettings: deskName must not be empty' } });
    const client = createDeskClient(transport, { schedule: manualFrames().schedule });
    const error = await client.updateSettings({ deskName: '' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeskCallError);
    expect(error).toMatchObject({ code: 'bad_input', message: 'updateSettings: deskName must not be empty', command: 'updateSettings' });
  });

  it('refuses an answer that breaks the contract, and reports it', async () => {
    const transport = new FakeTransport();
    transport.answer = () => ({ ok: true, value: { deskName: 42 } });
    const problems: string[] = [];
    const client = createDeskClient(transport, { schedule: manualFrames().schedule, reportProblem: (m) => problems.push(m) });
    const error = await client.getSettings({}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'internal' });
    expect((error as Error).message).toContain('getSettings');
    expect(problems).toHaveLength(1);
  });

  it('hands subscribers validated events, at most once per frame', () => {
    const transport = new FakeTransport();
    const frames = manualFrames();
    const client = createDeskClient(transport, { schedule: frames.schedule });
    const received: (readonly DeskEvent[])[] = [];
    client.subscribe((events) => received.push(events));

    for (let i = 1; i <= 200; i += 1) transport.send({ events: [{ type: 'auditAppended', payload: audit(i) }] });
    transport.send({ events: [{ type: 'statusChanged', payload: status('A') }] });
    transport.send({ events: [{ type: 'statusChanged', payload: status('B') }] });
    expect(received).toHaveLength(0);
    frames.runFrame();
    expect(received).toHaveLength(1);
    expect(received[0]).toHaveLength(201);
    expect(received[0]!.at(-1)).toEqual({ type: 'statusChanged', payload: status('B') });
  });

  it('drops events that break the contract but keeps the valid ones in the same batch', () => {
    const transport = new FakeTransport();
    const frames = manualFrames();
    const problems: string[] = [];
    const client = createDeskClient(transport, { schedule: frames.schedule, reportProblem: (m) => problems.push(m) });
    const received: (readonly DeskEvent[])[] = [];
    client.subscribe((events) => received.push(events));

    transport.send({ events: [{ type: 'auditAppended', payload: audit(1) }, { type: 'fromTheFuture', payload: {} }, { type: 'statusChanged', payload: { deskName: 1 } }] });
    transport.send('not a batch');
    frames.runFrame();
    expect(received).toEqual([[{ type: 'auditAppended', payload: audit(1) }]]);
    expect(problems).toHaveLength(2);
  });

  it('keeps delivering to the other subscribers when one throws, and stops after close', () => {
    const transport = new FakeTransport();
    const frames = manualFrames();
    const problems: string[] = [];
    const client = createDeskClient(transport, { schedule: frames.schedule, reportProblem: (m) => problems.push(m) });
    let delivered = 0;
    client.subscribe(() => {
      throw new Error('broken page');
    });
    const stop = client.subscribe(() => (delivered += 1));
    transport.send({ events: [{ type: 'settingsChanged', payload: settings }] });
    frames.runFrame();
    expect(delivered).toBe(1);
    expect(problems[0]).toContain('broken page');

    stop();
    transport.send({ events: [{ type: 'settingsChanged', payload: settings }] });
    frames.runFrame();
    expect(delivered).toBe(1);

    client.close();
    expect(transport.closed).toBe(true);
  });

  it('parses a whole valid batch without salvage', () => {
    expect(parseEventBatch({ events: [{ type: 'settingsChanged', payload: settings }] })).toEqual({
      events: [{ type: 'settingsChanged', payload: settings }],
      rejected: 0,
    });
    expect(parseEventBatch(null)).toEqual({ events: [], rejected: 1 });
  });
});
