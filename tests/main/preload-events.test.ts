import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createApi, type IpcRendererLike } from '../../electron/preload/api';
import { eventChannel, type EventMap, type EventName } from '../../shared/contract';
import type { ConversationView } from '../../shared/messages';

/** An ipcRenderer the main process pushes into, as webContents.send would. */
class PushedIpc extends EventEmitter implements IpcRendererLike {
  async invoke(): Promise<unknown> {
    throw new Error('no operations in this test');
  }

  push<E extends EventName>(event: E, payload: EventMap[E]): void {
    this.emit(eventChannel(event), {}, payload);
  }
}

const ALICE = { uuid: 'a', handle: 'alice', display_name: 'Alice', email: 'alice@cruddur.test' };
const BOB = { ...ALICE, uuid: 'b', handle: 'bob' };
const conversation = { message_group_uuid: 'g' } as ConversationView;

function page() {
  const ipc = new PushedIpc();
  const api = createApi(ipc);
  const received: string[] = [];
  api.on('conversations.changed', ({ session }) => received.push(`conversations for ${session}`));
  api.on('messages.new', ({ session }) => received.push(`messages for ${session}`));
  api.on('session.changed', ({ session }) => received.push(`session ${session}`));
  api.on('window.focus', ({ focused }) => received.push(`focused ${focused}`));
  return { ipc, received };
}

describe('pushes in the preload', () => {
  it('hands the page only the pushes of the sign-in announced last', () => {
    const { ipc, received } = page();
    ipc.push('session.changed', { profile: ALICE, session: 's-alice' });
    ipc.push('conversations.changed', { session: 's-alice', conversations: [conversation] });
    ipc.push('session.changed', { profile: BOB, session: 's-bob' });
    ipc.push('conversations.changed', { session: 's-alice', conversations: [conversation] });
    ipc.push('messages.new', { session: 's-alice', groupUuid: 'g', messages: [] });
    ipc.push('messages.new', { session: 's-bob', groupUuid: 'g', messages: [] });
    expect(received).toEqual([
      'session s-alice',
      'conversations for s-alice',
      'session s-bob',
      'messages for s-bob',
    ]);
  });

  it("drops a person's pushes while nobody is signed in, and before any sign-in is announced", () => {
    const { ipc, received } = page();
    ipc.push('conversations.changed', { session: 's-alice', conversations: [conversation] });
    ipc.push('session.changed', { profile: null, session: null });
    ipc.push('messages.new', { session: 's-alice', groupUuid: 'g', messages: [] });
    ipc.push('window.focus', { focused: false });
    expect(received).toEqual(['session null', 'focused false']);
  });
});
