import type { Config } from '../../core/config';
import type { Backend } from './backend';
import type { Handlers } from './ipc/register';

export interface HandlerDeps {
  config: Config;
  appVersion: string;
  backend(): Backend;
}

/**
 * The main-process side of every contract operation. The caller's identity always comes from the
 * auth service (the signed-in user), never from the renderer's payload.
 */
export function createHandlers({ config, appVersion, backend }: HandlerDeps): Handlers {
  const signedIn = async () => {
    const b = backend();
    return { b, me: await b.requireUser() };
  };
  return {
    getAppInfo: async () => ({
      name: 'Cruddur',
      version: appVersion,
      target: config.target,
      region: config.region,
    }),

    getSession: async () => {
      const { auth } = backend();
      return auth.profile() ?? (await auth.restore()) ?? null;
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
      await backend().auth.signOut();
      return null;
    },
    searchUsers: ({ query }) => backend().auth.searchUsers(query),

    listConversations: async (options) => {
      const { b, me } = await signedIn();
      const page = await b.messages.listConversations(me, options);
      b.poller.noteConversations(page.items);
      return page;
    },
    listMessages: async ({ groupUuid, ...options }) => {
      const { b, me } = await signedIn();
      const page = await b.messages.listMessages(me, groupUuid, options);
      // Only a first page holds the newest message; a sent message is not noted, or the poll
      // would skip a reply that arrived just before it.
      if (!options.cursor) b.poller.noteMessages(groupUuid, page.items);
      return page;
    },
    sendMessage: async (input) => {
      const { b, me } = await signedIn();
      return b.messages.sendMessage(me, input);
    },
    startConversation: async (input) => {
      const { b, me } = await signedIn();
      return b.messages.startConversation(me, input);
    },
    watchConversation: async ({ groupUuid }) => {
      const { b } = await signedIn();
      b.poller.watch(groupUuid);
      return null;
    },
  };
}
