import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Backend } from '../../electron/main/backend';
import { DraftStore } from '../../electron/main/drafts';
import { createHandlers } from '../../electron/main/handlers';
import { ConversationPoller } from '../../electron/main/poller';
import { SessionMessages } from '../../electron/main/session-messages';
import { SettingsStore } from '../../electron/main/settings-store';
import { UnreadTally } from '../../electron/main/unread-tally';
import { loadConfig } from '../../core/config';
import type { ConversationView, MessageView } from '../../shared/messages';
import { newMessageUuid } from '../../shared/message-uuid';
import type { Person } from '../../shared/model';
import { AppError } from '../../shared/result';
import { TestCipher } from '../support/test-cipher';

const ann: Person = { uuid: randomUUID(), handle: 'ann', display_name: 'Ann' };
const bob: Person = { uuid: randomUUID(), handle: 'bob', display_name: 'Bob' };
const group = randomUUID();

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cruddur-handlers-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const conversation = (groupUuid: string, unread: number): ConversationView => ({
  message_group_uuid: groupUuid,
  message: 'hi',
  last_reply_at: '2026-03-01T10:00:00.000Z',
  user_uuid: bob.uuid,
  handle: bob.handle,
  display_name: bob.display_name,
  sk: `GRP#2026-03-01T10:00:00.000Z#${groupUuid}`,
  unread_count: unread,
});
const sent = (groupUuid: string, text: string): MessageView => ({
  message_uuid: newMessageUuid(),
  message: text,
  created_at: new Date().toISOString(),
  user_uuid: ann.uuid,
  handle: ann.handle,
  display_name: ann.display_name,
  sk: `MSG#${groupUuid}`,
});

/**
 * The handlers over the main process's own parts (drafts on disk, the tally, the poller, the
 * settings), with the cloud's part (Cognito, DynamoDB) standing in: that runs in the integration
 * project. `signedIn` is who requireUser answers.
 */
async function mainSide() {
  const state = { signedIn: ann as Person | undefined, session: randomUUID() };
  const badge = vi.fn();
  const unread = new UnreadTally(badge);
  unread.reset(state.session);
  const poller = new ConversationPoller({ source: {} as never, publish: () => {}, isFocused: () => true });
  poller.reset({ id: state.session, person: ann });
  const drafts = new DraftStore(join(dir, 'drafts'), new TestCipher());
  const forgotten: string[] = [];
  const backend = {
    drafts,
    unread,
    poller,
    forget: async (personUuid: string) => {
      forgotten.push(personUuid);
    },
    auth: {
      profile: () => state.signedIn && { ...state.signedIn, email: 'x@cruddur.test' },
      signOut: vi.fn(async () => {
        state.signedIn = undefined;
      }),
    },
    messages: {
      listConversations: async () => ({
        items: [conversation(group, 2)],
        cursor: null,
        consumed_capacity: 0,
      }),
      sendMessage: async (_: Person, input: { groupUuid: string; text: string }) =>
        sent(input.groupUuid, input.text),
      startConversation: async (_: Person, input: { text: string }) => ({
        message_group_uuid: group,
        created: true,
        message: sent(group, input.text),
        group: conversation(group, 0),
      }),
      markConversationRead: async () => ({ unread_count: 0 }),
    },
    async requireUser() {
      if (!state.signedIn) throw new AppError('Unauthenticated', 'Sign in first.');
      return { person: state.signedIn, session: state.session };
    },
    assertSession() {},
  } as unknown as Backend;
  // The cache and the outbox of the sign-in, in memory, over the stand-in service.
  const local = await SessionMessages.open({
    session: { id: state.session, person: ann },
    source: backend.messages,
    poller,
    unread,
    publish: () => {},
    secrets: new TestCipher(),
    cacheRoot: undefined,
    outboxRoot: undefined,
    cacheLimitBytes: 1024 * 1024,
  });
  Object.assign(backend, { local: async () => local });
  const themes: string[] = [];
  const opened: string[] = [];
  const handlers = createHandlers({
    config: loadConfig({}),
    appVersion: 'test',
    backend: () => backend,
    settings: SettingsStore.inMemory(),
    applyTheme: (theme) => themes.push(theme),
    openExternal: async (url) => {
      opened.push(url);
    },
  });
  return { handlers, state, badge, themes, opened, drafts, forgotten };
}

const draftFiles = async () => readdir(join(dir, 'drafts')).catch(() => [] as string[]);

describe('the handlers of drafts, read marks, settings and links', () => {
  it('keep and answer my draft', async () => {
    const { handlers } = await mainSide();
    await handlers.saveDraft({ groupUuid: group, text: 'half a thought' });
    expect(await handlers.getDraft({ groupUuid: group })).toBe('half a thought');
  });

  it("answer only the signed-in person's drafts", async () => {
    const { handlers, state } = await mainSide();
    await handlers.saveDraft({ groupUuid: group, text: "ann's" });
    state.signedIn = bob;
    expect(await handlers.getDraft({ groupUuid: group })).toBe('');
    state.signedIn = undefined;
    await expect(handlers.getDraft({ groupUuid: group })).rejects.toMatchObject({ code: 'Unauthenticated' });
  });

  it('clear the draft of a conversation once its message is sent', async () => {
    const { handlers } = await mainSide();
    await handlers.saveDraft({ groupUuid: group, text: 'about to send' });
    await handlers.sendMessage({ groupUuid: group, messageUuid: newMessageUuid(), text: 'about to send' });
    expect(await handlers.getDraft({ groupUuid: group })).toBe('');
    await handlers.saveDraft({ groupUuid: group, text: 'a second one' });
    await handlers.startConversation({ handle: 'bob', messageUuid: newMessageUuid(), text: 'a second one' });
    expect(await handlers.getDraft({ groupUuid: group })).toBe('');
  });

  it('wipe my drafts from disk, and my cache and outbox, when I sign out', async () => {
    const { handlers, state, forgotten } = await mainSide();
    await handlers.saveDraft({ groupUuid: group, text: 'private' });
    expect(await draftFiles()).toHaveLength(1);
    await handlers.signOut(undefined);
    expect(await draftFiles()).toEqual([]);
    expect(forgotten).toEqual([ann.uuid]);
    state.signedIn = ann;
    expect(await handlers.getDraft({ groupUuid: group })).toBe('');
  });

  it('count the unread of the list and of a read mark on the badge', async () => {
    const { handlers, badge } = await mainSide();
    await handlers.listConversations({});
    expect(badge).toHaveBeenLastCalledWith(2);
    const upTo = newMessageUuid();
    expect(await handlers.markConversationRead({ groupUuid: group, upTo })).toEqual({ unread_count: 0 });
    expect(badge).toHaveBeenLastCalledWith(0);
  });

  it('answer and change the settings without anyone signed in, applying the theme', async () => {
    const { handlers, state, themes } = await mainSide();
    state.signedIn = undefined;
    expect((await handlers.getSettings(undefined)).theme).toBe('system');
    expect(await handlers.updateSettings({ theme: 'dark' })).toMatchObject({
      theme: 'dark',
      notifications: true,
    });
    expect(themes).toEqual(['dark']);
  });

  it('open only http and https links', async () => {
    const { handlers, opened } = await mainSide();
    await handlers.openLink({ url: 'https://aws.amazon.com/' });
    await handlers.openLink({ url: 'http://example.com/a?b=c' });
    for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'https://u:p@example.com/'])
      await expect(handlers.openLink({ url }), url).rejects.toMatchObject({
        code: 'Invalid',
        message: 'Only http and https links can be opened.',
      });
    expect(opened).toEqual(['https://aws.amazon.com/', 'http://example.com/a?b=c']);
  });
});
