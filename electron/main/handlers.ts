import type { Config } from '../../core/config';
import type { Backend, Caller } from './backend';
import type { Handlers } from './ipc/register';

export interface HandlerDeps {
  config: Config;
  appVersion: string;
  backend(): Backend;
}

/**
 * The main-process side of every contract operation. The caller's identity always comes from the
 * auth service (the signed-in user), never from the renderer's payload, and what is done for a
 * signed-in person is answered only while that sign-in is still the current one: a slow read begun
 * for one person answers Unauthenticated when the next has signed in meanwhile.
 */
export function createHandlers({ config, appVersion, backend }: HandlerDeps): Handlers {
  const asCaller = async <T>(work: (b: Backend, caller: Caller) => Promise<T>): Promise<T> => {
    const b = backend();
    const caller = await b.requireUser();
    const result = await work(b, caller);
    b.assertSession(caller.session);
    return result;
  };
  return {
    getAppInfo: async () => ({
      name: 'Cruddur',
      version: appVersion,
      target: config.target,
      region: config.region,
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
      await backend().auth.signOut();
      return null;
    },
    searchUsers: ({ query }) => asCaller((b) => b.auth.searchUsers(query)),

    listConversations: (options) =>
      asCaller(async (b, { person, session }) => {
        const page = await b.messages.listConversations(person, options);
        b.poller.noteConversations(session, page.items);
        return page;
      }),
    listMessages: ({ groupUuid, ...options }) =>
      asCaller(async (b, { person, session }) => {
        const page = await b.messages.listMessages(person, groupUuid, options);
        // Only a first page holds the newest message; a sent message is not noted, or the poll
        // would skip a reply that arrived just before it.
        if (!options.cursor) b.poller.noteMessages(session, groupUuid, page.items);
        return page;
      }),
    sendMessage: (input) => asCaller((b, { person }) => b.messages.sendMessage(person, input)),
    startConversation: (input) => asCaller((b, { person }) => b.messages.startConversation(person, input)),
    watchConversation: (input) =>
      asCaller(async (b, { session }) => {
        b.poller.watch(session, input.groupUuid);
        return null;
      }),
  };
}
