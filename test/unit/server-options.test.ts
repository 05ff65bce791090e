import { describe, expect, it } from 'vitest';
import { defaultDataDir, parseServerArgs } from '../../electron/server/options';

describe("server mode's command line", () => {
  it('reads --port and --data, with defaults that match the Electron app', () => {
    expect(parseServerArgs(['--port', '0', '--data', '/tmp/desk'])).toEqual({ port: 0, dataDir: '/tmp/desk', sandboxTraffic: 'steady', sandboxFile: null });
    expect(parseServerArgs(['--sandbox-traffic', 'off', '--sandbox-file', '/tmp/s.json'])).toMatchObject({ sandboxTraffic: 'off', sandboxFile: '/tmp/s.json' });
    expect(parseServerArgs([], { XDG_CONFIG_HOME: '/home/ana/.config' }).dataDir).toBe(process.platform === 'linux' ? '/home/ana/.config/Social Care Desk' : defaultDataDir());
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, 'win32')).toMatch(/Roaming.Social Care Desk$/);
  });

  it('refuses what it does not understand, saying what is wrong', () => {
    expect(() => parseServerArgs(['--port', '70000'])).toThrow(/--port needs a number from 0 to 65535, got "70000"/);
    expect(() => parseServerArgs(['--port'])).toThrow(/got nothing/);
    expect(() => parseServerArgs(['--data'])).toThrow(/--data needs a directory/);
    expect(() => parseServerArgs(['--host', '0.0.0.0'])).toThrow(/unknown option "--host"/);
  });
});
