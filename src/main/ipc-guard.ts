// One gate in front of every IPC handler: the message must come from Vigil's own page, in the
// window's top frame, with a payload of the channel's shape. No Electron import: the fake
// ipcMain of the tests and the real one both fit IpcMainLike.
import { z } from 'zod';
import type { IpcChannel, IpcChannels, IpcRequest, IpcResponse } from '../shared/contract.ts';

const PAYLOADS: { [C in IpcChannel]: z.ZodType<IpcRequest<C>> } = {
  'engine:connect': z.undefined(),
  'shell:open-service': z.strictObject({ port: z.number().int().min(1).max(65535) }),
  'window:hide': z.undefined(),
  'secrets:fly-token-status': z.undefined(),
  // Fly tokens are long ("FlyV1 fm2_..." macaroons) but not unbounded, and printable ASCII.
  'secrets:set-fly-token': z.strictObject({ token: z.string().max(8192).regex(/^[\x20-\x7e]*$/, { error: 'a token is printable ASCII, no control characters' }) }),
};

export const IPC_CHANNELS = Object.keys(PAYLOADS) as IpcChannel[];

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

/** The payload as the channel expects it, or why not. At most one argument is accepted. */
export function validatePayload<C extends IpcChannel>(channel: C, args: unknown[]): Checked<IpcRequest<C>> {
  const schema = PAYLOADS[channel] as z.ZodType<IpcRequest<C>> | undefined;
  if (!schema) return { ok: false, error: `unknown IPC channel "${String(channel)}"` };
  if (args.length > 1) return { ok: false, error: `"${channel}" takes one payload, got ${args.length} arguments` };
  const parsed = schema.safeParse(args[0]);
  if (!parsed.success) {
    return { ok: false, error: `bad payload for "${channel}": ${parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ')}` };
  }
  return { ok: true, value: parsed.data };
}

/** The frame an IPC message came from (Electron's WebFrameMain fits). */
export interface SenderFrameLike {
  url: string;
  parent: unknown;
}

/** True only for the top frame of a page loaded from Vigil's own renderer file. */
export function isTrustedSender(frame: SenderFrameLike | null | undefined, trustedUrl: string): boolean {
  if (!frame || frame.parent !== null) return false;
  let url: URL;
  let trusted: URL;
  try {
    url = new URL(frame.url);
    trusted = new URL(trustedUrl);
  } catch {
    return false;
  }
  return url.protocol === trusted.protocol && url.host === trusted.host && url.pathname === trusted.pathname;
}

export interface IpcEventLike {
  senderFrame: SenderFrameLike | null;
}

export interface IpcMainLike<E extends IpcEventLike = IpcEventLike> {
  handle(channel: string, listener: (event: E, ...args: unknown[]) => unknown): void;
}

export type IpcHandlers<E extends IpcEventLike> = {
  [C in IpcChannel]: (payload: IpcRequest<C>, event: E) => IpcResponse<C> | Promise<IpcResponse<C>>;
};

export class IpcRefused extends Error {}

/** The sender check and payload validation around one handler. */
export function guarded<C extends IpcChannel, E extends IpcEventLike>(
  channel: C,
  trustedUrl: string,
  handler: IpcHandlers<E>[C],
): (event: E, ...args: unknown[]) => Promise<IpcResponse<C>> {
  return async (event, ...args) => {
    if (!isTrustedSender(event.senderFrame, trustedUrl)) {
      throw new IpcRefused(`refused "${channel}": the sender is not Vigil's dashboard (${event.senderFrame?.url ?? 'no frame'})`);
    }
    const payload = validatePayload(channel, args);
    if (!payload.ok) throw new IpcRefused(`refused: ${payload.error}`);
    return handler(payload.value, event);
  };
}

/** Registers every channel of the map, each behind the guard. */
export function registerIpcHandlers<E extends IpcEventLike>(ipcMain: IpcMainLike<E>, trustedUrl: string, handlers: IpcHandlers<E>): void {
  for (const channel of IPC_CHANNELS) {
    ipcMain.handle(channel, guarded(channel, trustedUrl, handlers[channel] as IpcHandlers<E>[typeof channel]));
  }
}

export type { IpcChannels };
