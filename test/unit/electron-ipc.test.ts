/**
 * The IPC transport against a real desk on a temp directory: our console frame reaches the core,
 * anything else gets `forbidden` and never touches it; event batches go to our window only.
 */
import { join } from 'node:path';
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { transport, type DeskResult, type EventBatch } from '../../electron/core/contract';
import { createDesk, type Desk } from '../../electron/core/desk';
import { FileSecretStore } from '../../electron/core/secrets';
import { answerCall, registerDeskIpc, relayDeskEvents, type ConsoleWindow } from '../../electron/shell/ipc';
import { RENDERER_ENTRY_URL } from '../../electron/shell/renderer-origin';
import { tempDir } from '../support/temp';
import { FakeBrowserWindow, FakeIpcMain, FakeWebFrame } from './electron-double';

/** The parts of an IPC event the shell reads; the double's frames stand in for WebFrameMain. */
function ipcEvent(sender: unknown, senderFrame: FakeWebFrame | null): Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'> {
  return { sender, senderFrame } as unknown as Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>;
}

describe('desk IPC', () => {
  let dir: ReturnType<typeof tempDir>;
  let desk: Desk;
  let window: FakeBrowserWindow;
  let refused: string[];

  beforeEach(async () => {
    dir = tempDir('desk-ipc-');
    desk = createDesk({ dataDir: dir.path, version: '0.0.0-test', secrets: new FileSecretStore(join(dir.path, 'secrets.json')), eventWindowMs: 5 });
    await desk.start();
    window = new FakeBrowserWindow({});
    await window.loadURL(RENDERER_ENTRY_URL);
    refused = [];
  });
  afterEach(async () => {
    await desk.stop();
    dir.remove();
  });

  const options = () => ({
    desk,
    getWindow: () => window as unknown as ConsoleWindow,
    actor: 'console',
    log: (event: string) => refused.push(event),
  });
  const ours = () => ipcEvent(window.webContents, window.webContents.mainFrame);

  it('relays a call from our console frame to the desk', async () => {
    const result = await answerCall(options(), ours(), 'getStatus', {});
    expect(result.ok).toBe(true);
    expect(result.ok && (result.value as { version: string }).version).toBe('0.0.0-test');
  });

  it('passes the core’s own answers through (bad input, unknown command)', async () => {
    expect(await answerCall(options(), ours(), 'updateSettings', { deskName: '' })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(await answerCall(options(), ours(), 'dropDatabase', {})).toMatchObject({ ok: false, error: { code: 'unknown_command' } });
    expect(await answerCall(options(), ours(), 42, {})).toMatchObject({ ok: false, error: { code: 'bad_input' } });
  });

  it('refuses every other sender with forbidden, before the desk sees it', async () => {
    const spy = vi.spyOn(desk, 'call');
    const other = new FakeBrowserWindow({});
    await other.loadURL(RENDERER_ENTRY_URL);
    const main = window.webContents.mainFrame;
    const cases: Array<[string, Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>]> = [
      ['another window showing the console', ipcEvent(other.webContents, other.webContents.mainFrame)],
      ['a subframe of our window', ipcEvent(window.webContents, new FakeWebFrame(RENDERER_ENTRY_URL, main.processId, 7, main))],
      ['a frame of another origin', ipcEvent(window.webContents, new FakeWebFrame('https://evil.example/', main.processId, main.routingId))],
      ['a file:// page', ipcEvent(window.webContents, new FakeWebFrame('file:///tmp/x.html', main.processId, main.routingId))],
      ['a frame that is gone', ipcEvent(window.webContents, null)],
      ['a different frame claiming our URL', ipcEvent(window.webContents, new FakeWebFrame(RENDERER_ENTRY_URL, 999, 1))],
    ];
    for (const [what, event] of cases) {
      expect(await answerCall(options(), event, 'getStatus', {}), what).toEqual({
        ok: false,
        error: { code: 'forbidden', message: 'this page may not call the desk' },
      });
    }
    window.webContents.mainFrame.url = 'https://evil.example/';
    expect(await answerCall(options(), ours(), 'getStatus', {})).toMatchObject({ error: { code: 'forbidden' } });
    window.webContents.mainFrame.url = RENDERER_ENTRY_URL;
    window.close();
    expect(await answerCall(options(), ours(), 'getStatus', {})).toMatchObject({ error: { code: 'forbidden' } });
    expect(spy).not.toHaveBeenCalled();
    expect(refused.filter((event) => event === 'shell.ipc-refused')).toHaveLength(cases.length + 2);
  });

  it('answers internal, not a stack, if the desk ever throws', async () => {
    vi.spyOn(desk, 'call').mockRejectedValue(new Error('boom at /home/user/secret/path'));
    const result = await answerCall(options(), ours(), 'getStatus', {});
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: 'the desk failed to answer; see the log' } });
  });

  it('registers one handler on the contract channel and removes it', async () => {
    const ipcMain = new FakeIpcMain();
    const remove = registerDeskIpc({ ...options(), ipcMain: ipcMain as unknown as Pick<IpcMain, 'handle' | 'removeHandler'> });
    expect([...ipcMain.handlers.keys()]).toEqual([transport.ipcCallChannel]);
    const result = (await ipcMain.invoke(transport.ipcCallChannel, { sender: window.webContents, senderFrame: window.webContents.mainFrame }, 'getSettings', {})) as DeskResult<unknown>;
    expect(result).toMatchObject({ ok: true, value: { deskName: 'Social Care Desk' } });
    remove();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('pushes event batches to our window, only while it shows the console', async () => {
    const stop = relayDeskEvents(desk, () => window as unknown as ConsoleWindow);
    await desk.call('updateSettings', { deskName: 'Night shift' }, { actor: 'console' });
    // Start-up reports (routing creating the default queue) may come first: find the settings batch.
    const carriesSettings = (sent: { args: unknown[] }) => (sent.args[0] as EventBatch).events.some((event) => event.type === 'settingsChanged');
    await vi.waitFor(() => expect(window.webContents.sent.some(carriesSettings)).toBe(true));
    expect(window.webContents.sent.every((sent) => sent.channel === transport.ipcEventsChannel)).toBe(true);

    window.webContents.sent.length = 0;
    window.webContents.mainFrame.url = 'https://evil.example/';
    await desk.call('updateSettings', { deskName: 'Day shift' }, { actor: 'console' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(window.webContents.sent).toEqual([]);

    stop();
    window.webContents.mainFrame.url = RENDERER_ENTRY_URL;
    await desk.call('updateSettings', { deskName: 'Late shift' }, { actor: 'console' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(window.webContents.sent).toEqual([]);
  });
});
