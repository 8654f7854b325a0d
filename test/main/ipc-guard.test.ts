import { describe, expect, it, vi } from 'vitest';
import { guarded, IPC_CHANNELS, type IpcEventLike, type IpcHandlers, isTrustedSender, registerIpcHandlers, validatePayload } from '../../src/main/ipc-guard.ts';

const TRUSTED = 'file:///Applications/Vigil.app/Contents/Resources/app.asar/dist/renderer/index.html';
const topFrame = (url = TRUSTED) => ({ senderFrame: { url, parent: null } });

/** A stand-in for Electron's ipcMain that records handlers and throws on any other use, so a
 * test cannot pass by calling something it did not mean to (electron/fiddle's habit). */
function fakeIpcMain() {
  const handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => unknown>();
  const ipcMain = new Proxy(
    {
      handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown) {
        if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
        handlers.set(channel, listener);
      },
    },
    {
      get(target, key) {
        if (key in target) return target[key as keyof typeof target];
        throw new Error(`unexpected use of ipcMain.${String(key)}`);
      },
    },
  );
  return { ipcMain, handlers };
}

function handlers() {
  return {
    'engine:connect': vi.fn(() => ({ connected: true })),
    'shell:open-service': vi.fn(() => undefined),
    'window:hide': vi.fn(() => undefined),
    'secrets:fly-token-status': vi.fn(() => ({ stored: false, encryption: true })),
    'secrets:set-fly-token': vi.fn(() => ({ stored: true })),
  } satisfies IpcHandlers<IpcEventLike>;
}

describe('validatePayload', () => {
  it('accepts what each channel expects', () => {
    expect(validatePayload('engine:connect', [])).toEqual({ ok: true, value: undefined });
    expect(validatePayload('window:hide', [undefined])).toEqual({ ok: true, value: undefined });
    expect(validatePayload('shell:open-service', [{ port: 5555 }])).toEqual({ ok: true, value: { port: 5555 } });
    expect(validatePayload('secrets:set-fly-token', [{ token: 'FlyV1 fm2_x' }]).ok).toBe(true);
    expect(validatePayload('secrets:set-fly-token', [{ token: 'fo1_a\nb' }]).ok).toBe(false);
    expect(validatePayload('secrets:set-fly-token', [{ token: 'fo1_abc' }])).toEqual({ ok: true, value: { token: 'fo1_abc' } });
    expect(validatePayload('secrets:set-fly-token', [{ token: 'x'.repeat(9000) }]).ok).toBe(false);
  });

  it.each([
    ['a port out of range', [{ port: 70000 }]],
    ['a port that is not a whole number', [{ port: 55.5 }]],
    ['a port as text', [{ port: '5555' }]],
    ['extra keys', [{ port: 5555, url: 'http://evil.example' }]],
    ['no payload', []],
    ['two payloads', [{ port: 1 }, { port: 2 }]],
  ])('refuses %s for shell:open-service', (_what, args) => {
    expect(validatePayload('shell:open-service', args).ok).toBe(false);
  });

  it('refuses a payload on a channel that takes none, and unknown channels', () => {
    expect(validatePayload('window:hide', [{ now: true }])).toMatchObject({ ok: false });
    expect(validatePayload('engine:kill' as 'window:hide', [])).toEqual({ ok: false, error: 'unknown IPC channel "engine:kill"' });
  });

  it('says what was wrong', () => {
    const result = validatePayload('shell:open-service', [{ port: 0 }]);
    expect(result.ok === false && result.error).toMatch(/^bad payload for "shell:open-service": port: /);
  });
});

describe('isTrustedSender', () => {
  it("trusts the top frame of Vigil's own page, whatever its query or hash", () => {
    expect(isTrustedSender({ url: TRUSTED, parent: null }, TRUSTED)).toBe(true);
    expect(isTrustedSender({ url: `${TRUSTED}#events`, parent: null }, TRUSTED)).toBe(true);
  });

  it.each([
    ['another page', 'https://example.com/'],
    ['another local file', 'file:///tmp/evil.html'],
    ['a loopback server', 'http://127.0.0.1:7357/'],
    ['nothing parseable', 'not a url'],
  ])('refuses %s', (_what, url) => {
    expect(isTrustedSender({ url, parent: null }, TRUSTED)).toBe(false);
  });

  it('refuses a sub-frame, even of the right page, and a missing frame', () => {
    expect(isTrustedSender({ url: TRUSTED, parent: {} }, TRUSTED)).toBe(false);
    expect(isTrustedSender(null, TRUSTED)).toBe(false);
    expect(isTrustedSender(undefined, TRUSTED)).toBe(false);
  });
});

describe('registerIpcHandlers', () => {
  it('registers every channel of the map, once', () => {
    const { ipcMain, handlers: registered } = fakeIpcMain();
    registerIpcHandlers(ipcMain, TRUSTED, handlers());
    expect([...registered.keys()].sort()).toEqual([...IPC_CHANNELS].sort());
    expect(IPC_CHANNELS).toEqual(expect.arrayContaining(['engine:connect', 'shell:open-service', 'window:hide']));
  });

  it('passes a checked payload and the event to the handler', async () => {
    const { ipcMain, handlers: registered } = fakeIpcMain();
    const impl = handlers();
    registerIpcHandlers(ipcMain, TRUSTED, impl);
    const event = topFrame();
    await expect(registered.get('shell:open-service')!(event, { port: 5555 })).resolves.toBeUndefined();
    expect(impl['shell:open-service']).toHaveBeenCalledWith({ port: 5555 }, event);
    await expect(registered.get('engine:connect')!(event)).resolves.toEqual({ connected: true });
  });

  it('never reaches the handler for a foreign sender or a bad payload', async () => {
    const { ipcMain, handlers: registered } = fakeIpcMain();
    const impl = handlers();
    registerIpcHandlers(ipcMain, TRUSTED, impl);
    await expect(registered.get('shell:open-service')!(topFrame('https://example.com/'), { port: 5555 })).rejects.toThrow(/refused "shell:open-service": the sender is not Vigil's dashboard/);
    await expect(registered.get('shell:open-service')!(topFrame(), { port: -1 })).rejects.toThrow(/refused: bad payload/);
    await expect(registered.get('window:hide')!({ senderFrame: null })).rejects.toThrow(/no frame/);
    expect(impl['shell:open-service']).not.toHaveBeenCalled();
    expect(impl['window:hide']).not.toHaveBeenCalled();
  });

  it('guards one handler on its own too', async () => {
    const handler = vi.fn(() => undefined);
    const wrapped = guarded('window:hide', TRUSTED, handler);
    await wrapped(topFrame());
    expect(handler).toHaveBeenCalledTimes(1);
  });
});
