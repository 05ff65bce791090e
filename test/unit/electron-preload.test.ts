/**
 * The preload against a double of `electron`: the page gets `window.desk` with call and onEvents
 * and nothing else; unknown command names stop before IPC; listeners never see the IPC event.
 */
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { commandNames, transport, type EventBatch } from '../../electron/core/contract';
import type { DeskBridge } from '../../electron/preload';
import { fake } from './electron-double';

vi.mock('electron', async () => (await import('./electron-double')).electronModule);

let desk: DeskBridge;

beforeAll(async () => {
  await import('../../electron/preload');
  desk = fake.exposed.get('desk') as DeskBridge;
});

beforeEach(() => {
  fake.ipcRenderer.invocations.length = 0;
  fake.ipcRenderer.removeAllListeners();
});

describe('preload', () => {
  it('exposes only window.desk, with only call and onEvents', () => {
    expect([...fake.exposed.keys()]).toEqual(['desk']);
    expect(Object.keys(desk).sort()).toEqual(['call', 'onEvents']);
    for (const value of Object.values(desk)) expect(typeof value).toBe('function');
    // Nothing that leads back to ipcRenderer.
    expect(Object.values(desk)).not.toContain(fake.ipcRenderer);
  });

  it('sends a contract command over the call channel', async () => {
    fake.ipcRenderer.answer = { ok: true, value: { deskName: 'Desk' } };
    expect(await desk.call('getSettings', {})).toEqual({ ok: true, value: { deskName: 'Desk' } });
    expect(await desk.call('getStatus')).toEqual({ ok: true, value: { deskName: 'Desk' } });
    expect(fake.ipcRenderer.invocations).toEqual([
      { channel: transport.ipcCallChannel, args: ['getSettings', {}] },
      { channel: transport.ipcCallChannel, args: ['getStatus', {}] },
    ]);
  });

  it('answers unknown_command for names outside the contract, without sending', async () => {
    for (const name of ['dropDatabase', '__proto__', 'constructor', 'toString', '', 42, null]) {
      const result = await desk.call(name as string, {});
      expect(result, String(name)).toMatchObject({ ok: false, error: { code: 'unknown_command' } });
    }
    expect(fake.ipcRenderer.invocations).toEqual([]);
    const message = (await desk.call('nope')) as { error: { message: string } };
    for (const name of commandNames) expect(message.error.message).toContain(name);
  });

  it('delivers event batches to the listener without the IPC event, until unsubscribed', () => {
    const received: unknown[][] = [];
    const unsubscribe = desk.onEvents((...args: unknown[]) => received.push(args));
    const batch: EventBatch = { events: [] };
    fake.ipcRenderer.emit(transport.ipcEventsChannel, { sender: fake.ipcRenderer }, batch);
    expect(received).toEqual([[batch]]);

    unsubscribe();
    unsubscribe();
    fake.ipcRenderer.emit(transport.ipcEventsChannel, { sender: fake.ipcRenderer }, batch);
    expect(received).toHaveLength(1);
    expect(fake.ipcRenderer.listenerCount(transport.ipcEventsChannel)).toBe(0);
  });

  it('listens only on the events channel', () => {
    desk.onEvents(() => {});
    expect(fake.ipcRenderer.eventNames()).toEqual([transport.ipcEventsChannel]);
    expect(() => desk.onEvents('not a function' as unknown as (batch: EventBatch) => void)).toThrow(TypeError);
  });
});
