import type { Config } from '../../core/config';
import { checkServices } from '../../core/service-check';
import { createLogger } from '../../core/log';
import { AppError } from '../../shared/result';
import type { Theme } from '../../shared/settings';
import type { Backend, Caller } from './backend';
import type { SessionMessages } from './session-messages';
import type { Handlers } from './ipc/register';
import { ConnectionStore } from './connection-store';
import { SettingsStore } from './settings-store';
import { isSafeExternalUrl } from './shell/policy';

const log = createLogger('handlers');

export interface HandlerDeps {
  config: Config;
  appVersion: string;
  backend(): Backend;
  /** The app's settings; absent: defaults kept in memory (tests). */
  settings?: SettingsStore;
  /** Applies the theme setting to the app (nativeTheme.themeSource); absent: nothing to apply. */
  applyTheme?(theme: Theme): void;
  /** The connection settings; absent: `config`, which cannot be changed (tests). */
  connection?: ConnectionStore;
  /**
   * The connection changed: the services are closed and built anew on next use, and the sign-in
   * ends. Absent: nothing to rebuild (tests).
   */
  reconnect?(): Promise<void>;
  /** Opens a checked link in the system browser (shell.openExternal); absent: links cannot open. */
  openExternal?(url: string): Promise<void>;
}

const cannotOpenLinks = async (): Promise<void> => {
  throw new AppError('Unavailable', 'Links cannot be opened here.');
};

/**
 * The main-process side of every contract operation. The caller's identity always comes from the
 * auth service (the signed-in user), never from the renderer's payload, and what is done for a
 * signed-in person is answered only while that sign-in is still the current one: a slow read begun
 * for one person answers Unauthenticated when the next has signed in meanwhile.
 */
export function createHandlers(deps: HandlerDeps): Handlers {
  const { appVersion, backend } = deps;
  const connection = deps.connection ?? ConnectionStore.fixed(deps.config);
  const settings = deps.settings ?? SettingsStore.inMemory();
  const openExternal = deps.openExternal ?? cannotOpenLinks;
  /** A message is sent: its draft is done. A draft that cannot be cleared never fails the send. */
  const clearDraft = (b: Backend, { person }: Caller, groupUuid: string) =>
    b.drafts.save(person.uuid, groupUuid, '').catch((error: unknown) => {
      log.warn('could not clear a draft', { error });
    });
  const asCaller = async <T>(work: (b: Backend, caller: Caller) => Promise<T>): Promise<T> => {
    const b = backend();
    const caller = await b.requireUser();
    const result = await work(b, caller);
    b.assertSession(caller.session);
    return result;
  };
  /** The messages of the caller's sign-in (its cache and outbox), for work done as them. */
  const withLocal = <T>(work: (local: SessionMessages, b: Backend, caller: Caller) => Promise<T>) =>
    asCaller(async (b, caller) => work(await b.local(caller.session), b, caller));

  return {
    getAppInfo: async () => ({
      name: 'Cruddur',
      version: appVersion,
      target: connection.config().target,
      region: connection.config().region,
    }),

    getSession: async () => {
      const b = backend();
      const profile = b.auth.profile();
      // A restore is a sign-in, announced as one; a page that asks while signed in was reloaded.
      if (!profile) return (await b.auth.restore()) ?? null;
      b.announceSession();
      return profile;
    },
    signIn: (input) => backend().auth.signIn(input),
    signUp: (input) => backend().auth.signUp(input),
    confirmSignUp: async (input) => {
      await backend().auth.confirmSignUp(input);
      return null;
    },
    resendCode: (input) => backend().auth.resendCode(input),
    forgotPassword: (input) => backend().auth.forgotPassword(input),
    confirmForgotPassword: async (input) => {
      await backend().auth.confirmForgotPassword(input);
      return null;
    },
    signOut: async () => {
      const b = backend();
      const leaving = b.auth.profile();
      try {
        await b.auth.signOut();
      } finally {
        // The person chose to leave this computer: their unsent text, their cached conversations
        // and what waits in their outbox go with them.
        if (leaving) await Promise.all([b.drafts.wipe(leaving.uuid), b.forget(leaving.uuid)]);
      }
      return null;
    },
    searchUsers: ({ query }) => asCaller((b) => b.auth.searchUsers(query)),

    listConversations: (options) => withLocal((local) => local.listConversations(options)),
    listMessages: ({ groupUuid, ...options }) => withLocal((local) => local.listMessages(groupUuid, options)),
    sendMessage: (input) =>
      withLocal(async (local, b, caller) => {
        const sent = await local.sendMessage(input);
        await clearDraft(b, caller, input.groupUuid);
        return sent;
      }),
    startConversation: (input) =>
      withLocal(async (local, b, caller) => {
        const started = await local.startConversation(input);
        await clearDraft(b, caller, started.message_group_uuid);
        return started;
      }),
    watchConversation: (input) =>
      withLocal(async (local) => {
        local.watch(input.groupUuid);
        return null;
      }),
    markConversationRead: (input) => withLocal((local) => local.markConversationRead(input)),
    getOutbox: () => withLocal(async (local) => local.outboxEntries()),
    getLastConversation: () => withLocal(async (local) => local.lastConversation()),

    getConnectivity: async () => backend().connectivity.state(),
    retryNow: async () => backend().connectivity.retryNow(),

    getDraft: ({ groupUuid }) => asCaller((b, { person }) => b.drafts.get(person.uuid, groupUuid)),
    saveDraft: ({ groupUuid, text }) =>
      asCaller(async (b, { person }) => {
        await b.drafts.save(person.uuid, groupUuid, text);
        return null;
      }),

    getSettings: async () => settings.get(),
    updateSettings: async (patch) => {
      const next = await settings.update(patch);
      deps.applyTheme?.(next.theme);
      if (patch.cacheLimitMb !== undefined) {
        try {
          backend().cacheLimitChanged();
        } catch {
          // No services yet: the next sign-in's cache opens with the saved limit.
        }
      }
      return next;
    },

    getConnection: async () => connection.view(),
    updateConnection: async (input) => {
      const view = await connection.update(input);
      await deps.reconnect?.();
      return view;
    },
    checkServices: () => checkServices(connection.config()),

    openLink: async ({ url }) => {
      if (!isSafeExternalUrl(url)) throw new AppError('Invalid', 'Only http and https links can be opened.');
      await openExternal(url);
      return null;
    },
  };
}
