import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import type { Profile } from '../../shared/auth';
import type { Person } from '../../shared/model';
import { AppError } from '../../shared/result';
import { withLocalCloudIds, type Config } from '../../core/config';
import { createLogger } from '../../core/log';
import { ConversationPoller, type PollSession } from './poller';
import { DraftStore, DRAFTS_DIR_NAME } from './drafts';
import { Notifier, type DesktopNotifications } from './notifier';
import { UnreadTally } from './unread-tally';
import { tapPublish, type Publish } from './push-tap';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import type { Connectivity } from '../../shared/messages';
import { ConnectivityMonitor, observed } from './connectivity';
import { SealedDir } from './sealed-dir';
import { SessionMessages } from './session-messages';
import { ApiClient } from './api-client';
import { ApiMessages, ApiPeople } from './api-messages';
import type { AuthService } from '../../core/auth/auth-service';
import { createAuthService, SESSION_FILE_NAME } from '../../core/auth/create-auth-service';
import { NO_SECRETS, type SecretStore } from '../../core/auth/session-store';
import { createDynamoClient, PG_POOL_TIMEOUTS } from '../../core/clients';
import { loadOrCreateCursorSecret, MessageService, type MessageOperations } from '../../core/messages';
import { UserDirectory } from '../../core/users/directory';

const log = createLogger('backend');

/** Who a piece of work is for: the signed-in person and the sign-in (an opaque id, never a token). */
export interface Caller {
  person: Person;
  session: string;
}

/** The main process's services, built once from the config. */
export interface Backend {
  auth: AuthService;
  /** Patterns A-D and the read mark: DynamoDB itself (direct mode) or the message API. */
  messages: MessageOperations;
  poller: ConversationPoller;
  /** My unsent text per conversation, encrypted on disk. */
  drafts: DraftStore;
  /** Unread messages per conversation of the current sign-in, and the badge. */
  unread: UnreadTally;
  /** Whether DynamoDB (or the message API) can be reached; probes with backoff while it cannot. */
  connectivity: ConnectivityMonitor;
  /** The cache and the outbox of a sign-in, or Unauthenticated when it is no longer the current one. */
  local(session: string): Promise<SessionMessages>;
  /** Deletes everything kept on this computer for a person (they signed out). */
  forget(personUuid: string): Promise<void>;
  /** The cache limit setting changed. */
  cacheLimitChanged(): void;
  /** The signed-in person and their sign-in, or Unauthenticated. */
  requireUser(): Promise<Caller>;
  /**
   * Unauthenticated unless `session` is still the current sign-in: a result of work begun for one
   * person is never handed to the next (checked after the work, before answering).
   */
  assertSession(session: string): void;
  /** Pushes session.changed for the current sign-in again: a reloaded page has not heard it. */
  announceSession(): void;
  close(): Promise<void>;
}

/** What the desktop lends the backend for notifications. */
export interface NotificationDeps {
  desktop: DesktopNotifications;
  settings(): Pick<Settings, 'notifications' | 'notificationText'>;
  /** Shows, restores and focuses the main window (a notification was clicked). */
  showWindow(): void;
}

/** The desktop's part of the backend; each absent one is simply not done (tests, the e2e suite). */
export interface DesktopDeps {
  /** app.setBadgeCount: the unread total on the dock or taskbar icon. */
  setBadgeCount?(count: number): void;
  notifications?: NotificationDeps;
  /** Electron's net.isOnline(), where the services are not on this computer. */
  isNetworkUp?(): boolean;
  /** The cache limit setting, in MB (the default when absent). */
  cacheLimitMb?(): number;
}

export interface BackendOptions extends DesktopDeps {
  /** The app's one config (loaded at start-up); the local cloud's ids are looked up again here. */
  config: Config;
  secretStore: SecretStore;
  userDataDir: string;
  publish: Publish;
  isFocused(): boolean;
}

/**
 * The backend on the config's mode. Direct (no API URL): a PostgreSQL pool and a DynamoDB client
 * of this process, with the computer's AWS credentials. API (`config.apiUrl`): the message API,
 * with the signed-in person's access token; no pool, no DynamoDB client, no AWS credentials (the
 * Cognito client's provider refuses: see createCognitoClient). Everything above is the same.
 */
export function createBackend(options: BackendOptions): Backend {
  const config = withLocalCloudIds(options.config);
  const sessionFile = join(options.userDataDir, SESSION_FILE_NAME);
  const services = config.apiUrl
    ? apiServices(config, config.apiUrl, options.secretStore, sessionFile)
    : directServices(config, options.secretStore, sessionFile, options.userDataDir);
  return assembleBackend({
    ...services,
    publish: options.publish,
    isFocused: options.isFocused,
    drafts: new DraftStore(join(options.userDataDir, DRAFTS_DIR_NAME), options.secretStore),
    secrets: options.secretStore,
    userDataDir: options.userDataDir,
    ...(options.setBadgeCount && { setBadgeCount: options.setBadgeCount }),
    ...(options.notifications && { notifications: options.notifications }),
    ...(options.isNetworkUp && { isNetworkUp: options.isNetworkUp }),
    ...(options.cacheLimitMb && { cacheLimitMb: options.cacheLimitMb }),
  });
}

type ModeServices = Pick<BackendServices, 'auth' | 'messages' | 'close'>;

function directServices(
  config: Config,
  secretStore: SecretStore,
  sessionFile: string,
  userDataDir: string,
): ModeServices {
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 4, ...PG_POOL_TIMEOUTS });
  pool.on('error', (error) => log.warn('PostgreSQL connection lost', { error }));
  const directory = new UserDirectory(pool);
  const db = createDynamoClient(config);
  const auth = createAuthService({ config, pool, directory, secretStore, sessionFile });
  const messages = new MessageService({
    db,
    tableName: config.tableName,
    directory,
    cursorSecret: loadOrCreateCursorSecret(join(userDataDir, 'cursor.key')),
  });
  return {
    auth,
    messages,
    async close() {
      auth.dispose();
      db.destroy();
      await pool.end();
    },
  };
}

function apiServices(
  config: Config,
  apiUrl: string,
  secretStore: SecretStore,
  sessionFile: string,
): ModeServices {
  const client = new ApiClient({ baseUrl: apiUrl });
  const auth = createAuthService({ config, people: new ApiPeople(client), secretStore, sessionFile });
  const messages = new ApiMessages(client, (personUuid, renew) => auth.accessToken(personUuid, renew));
  return {
    auth,
    messages,
    async close() {
      auth.dispose();
    },
  };
}

export interface BackendServices extends DesktopDeps {
  auth: AuthService;
  messages: MessageOperations;
  publish: Publish;
  isFocused(): boolean;
  /** Absent: drafts are kept in memory only. */
  drafts?: DraftStore;
  /** Encrypts what is kept on disk (safeStorage); absent: the cache and the outbox stay in memory. */
  secrets?: SecretStore;
  /** Where the cache and the outbox live; absent: in memory only. */
  userDataDir?: string;
  /** Closes the services' clients (after the poller has stopped). */
  close(): Promise<void>;
}

/**
 * The backend over its services. Every change of who is signed in (A to B without a sign-out
 * between too) begins a new session with a new id: the poller starts over for it, and every push
 * names the session it belongs to, so the renderer can drop what belongs to another.
 */
export function assembleBackend(services: BackendServices): Backend {
  const { auth, publish } = services;
  const unread = new UnreadTally(services.setBadgeCount ?? (() => {}));
  const onDisk = services.userDataDir !== undefined && services.secrets !== undefined;
  const roots = {
    cache: onDisk ? join(services.userDataDir!, CACHE_DIR_NAME) : undefined,
    outbox: onDisk ? join(services.userDataDir!, OUTBOX_DIR_NAME) : undefined,
  };
  const cacheLimitBytes = () => (services.cacheLimitMb?.() ?? DEFAULT_SETTINGS.cacheLimitMb) * 1024 * 1024;
  let current: { session: PollSession; profile: Profile; local: Promise<SessionMessages> } | undefined;
  /** The closing of earlier sign-ins' caches, which a wipe waits for. */
  let closing: Promise<unknown> = Promise.resolve();
  const withLocal = (session: string, work: (local: SessionMessages) => Promise<unknown> | void) => {
    if (current?.session.id !== session) return;
    current.local.then(work).catch((error: unknown) => log.warn('local message work failed', { error }));
  };
  /** Back online: what waits in the outbox goes out, and the poller catches up at once. */
  const resume = (state: Connectivity) => {
    publish('connectivity.changed', state);
    if (!state.online || !current) return;
    withLocal(current.session.id, (local) => local.outbox.drain().catch(() => {}));
    poller.tick().catch((error: unknown) => log.info('poll after reconnecting failed', { error }));
  };
  const connectivity = new ConnectivityMonitor({
    publish: resume,
    // One cheap read stands for "DynamoDB answers"; nobody signed in: nothing to reach for.
    probe: async () => {
      const signIn = current;
      if (signIn) await services.messages.listConversations(signIn.session.person, { limit: 1 });
    },
    ...(services.isNetworkUp && { isNetworkUp: services.isNetworkUp }),
  });
  const messages = observed(services.messages, connectivity);
  const notifications = services.notifications;
  const notifier: Notifier | undefined =
    notifications &&
    new Notifier({
      notifications: notifications.desktop,
      settings: notifications.settings,
      isWatched: (groupUuid): boolean => poller.watched() === groupUuid,
      isFocused: services.isFocused,
      unreadBefore: (session, groupUuid) => unread.unreadOf(session, groupUuid),
      showWindow: notifications.showWindow,
      publish,
    });
  const poller: ConversationPoller = new ConversationPoller({
    source: messages,
    publish: tapPublish(publish, {
      unread,
      notifier,
      heard: (push) => withLocal(push.payload.session, (local) => local.heard(push)),
    }),
    isFocused: services.isFocused,
    isOnline: () => connectivity.state().online,
    lost: (session, groupUuid) => withLocal(session, (local) => local.drop(groupUuid)),
  });
  const openLocal = async (session: PollSession): Promise<SessionMessages> => {
    const options = {
      session,
      source: messages,
      poller,
      unread,
      publish,
      secrets: services.secrets ?? NO_SECRETS,
      cacheRoot: roots.cache,
      outboxRoot: roots.outbox,
      cacheLimitBytes: cacheLimitBytes(),
      isOnline: () => connectivity.state().online,
    };
    try {
      return await SessionMessages.open(options);
    } catch (error) {
      log.warn('the message cache could not be opened: this sign-in keeps it in memory', { error });
      return SessionMessages.open({ ...options, cacheRoot: undefined, outboxRoot: undefined });
    }
  };
  const announce = () =>
    publish('session.changed', { profile: current?.profile ?? null, session: current?.session.id ?? null });
  auth.onChange((profile) => {
    const previous = current;
    const session: PollSession | undefined = profile && { id: randomUUID(), person: toPerson(profile) };
    current = session && profile && { session, profile, local: openLocal(session) };
    if (previous)
      closing = Promise.all([closing, previous.local.then((local) => local.close())]).catch(() => {});
    poller.reset(current?.session);
    unread.reset(current?.session.id);
    notifier?.reset(current && { id: current.session.id, personUuid: current.profile.uuid });
    announce();
    // Messages left in the outbox by an earlier run go out now (or when DynamoDB is back).
    if (current)
      withLocal(current.session.id, (local) =>
        local.outbox.entries().length > 0 ? local.outbox.drain().catch(() => {}) : undefined,
      );
  });
  const ended = () => new AppError('Unauthenticated', 'You were signed out before this finished.');
  poller.start();
  return {
    auth,
    messages,
    poller,
    drafts: services.drafts ?? DraftStore.inMemory(),
    unread,
    connectivity,
    async local(session) {
      const signIn = current;
      if (signIn?.session.id !== session) throw ended();
      return signIn.local;
    },
    async forget(personUuid) {
      await closing;
      await Promise.all(
        [roots.cache, roots.outbox].map((root) => root && SealedDir.wipeAt(root, personUuid)),
      );
    },
    cacheLimitChanged() {
      const limit = cacheLimitBytes();
      if (current) withLocal(current.session.id, (local) => local.cache.setLimit(limit));
    },
    async requireUser() {
      // Taken before the (possibly refreshing) wait, so a sign-in that changes meanwhile is caught.
      const signIn = current;
      const person = await auth.requireUser();
      if (!signIn || signIn !== current) throw ended();
      return { person, session: signIn.session.id };
    },
    assertSession(session) {
      if (current?.session.id !== session) throw ended();
    },
    announceSession: announce,
    async close() {
      poller.stop();
      connectivity.stop();
      const last = current;
      current = undefined;
      await Promise.all([closing, last?.local.then((local) => local.close())]).catch((error: unknown) =>
        log.warn('the message cache could not be closed', { error }),
      );
      await services.close();
    },
  };
}

/** The folders of the message cache and of the outbox in the user-data folder. */
export const CACHE_DIR_NAME = 'cache';
export const OUTBOX_DIR_NAME = 'outbox';

const toPerson = ({ uuid, handle, display_name }: Profile): Person => ({ uuid, handle, display_name });

/**
 * Builds the backend on first use and retries on the next call when it could not be built yet
 * (e.g. the app started before the local cloud wrote its user pool ids), so no restart is needed.
 */
export function lazyBackend(build: () => Backend): { get(): Backend; close(): Promise<void> } {
  let backend: Backend | undefined;
  return {
    get() {
      if (!backend) {
        try {
          backend = build();
        } catch (error) {
          if (error instanceof AppError) throw error;
          throw new AppError(
            'Unavailable',
            'The app could not connect to its services. Is the local cloud running?',
            {
              cause: error,
            },
          );
        }
      }
      return backend;
    },
    async close() {
      await backend?.close();
    },
  };
}
