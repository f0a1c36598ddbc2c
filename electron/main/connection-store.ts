import { loadConfig, connectionSources, type Config, type SavedConnection } from '../../core/config';
import { ConnectionFiles } from '../../core/connection-file';
import type { SecretStore } from '../../core/auth/session-store';
import { databaseHostOf, type ConnectionInput, type ConnectionView } from '../../shared/connection';
import { AppError } from '../../shared/result';

export interface ConnectionStoreOptions {
  userDataDir: string;
  secrets: SecretStore;
  /** The environment, whose CRUDDUR_* variables override the file (developers). */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** app.isPackaged: an installed app with nothing saved is not configured (it opens Settings). */
  packaged: boolean;
}

/**
 * The app's connection: connection.json (and its encrypted password) under the environment, and
 * the Config they make. Read once at start-up and held in memory; updateConnection writes the
 * file and makes the config anew, one update after another. The password goes from the file to
 * the config's database URL in the main process and never to the renderer.
 */
export class ConnectionStore {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly files: ConnectionFiles | undefined,
    private readonly env: NodeJS.ProcessEnv,
    private readonly cwd: string,
    private readonly packaged: boolean,
    private saved: SavedConnection | undefined,
    private passwordSaved: boolean,
    private current: Config,
  ) {}

  /** Reads the saved connection; the config is made at once, so a bad CRUDDUR_* variable fails the start. */
  static async open(options: ConnectionStoreOptions): Promise<ConnectionStore> {
    const env = options.env ?? process.env;
    const cwd = options.cwd ?? process.cwd();
    const files = new ConnectionFiles(options.userDataDir, options.secrets);
    const { saved, passwordSaved } = await files.read();
    return new ConnectionStore(
      files,
      env,
      cwd,
      options.packaged,
      saved,
      passwordSaved,
      loadConfig(env, cwd, saved),
    );
  }

  /** A connection that is what `config` says and cannot be changed (tests, a process without a folder). */
  static fixed(config: Config): ConnectionStore {
    return new ConnectionStore(undefined, {}, process.cwd(), false, undefined, false, config);
  }

  /** The config the backend is built from now. */
  config(): Config {
    return this.current;
  }

  view(): ConnectionView {
    const config = this.current;
    return {
      target: config.target,
      region: config.region,
      tableName: config.tableName,
      userPoolId: config.userPoolId ?? null,
      userPoolClientId: config.userPoolClientId ?? null,
      // API mode on AWS has no directory URL at all: nothing to show.
      databaseHost: config.databaseUrl ? databaseHostOf(config.databaseUrl) : '',
      databaseUrlSaved: Boolean(this.saved?.databaseUrl),
      passwordSaved: this.passwordSaved,
      apiUrl: config.apiUrl ?? null,
      mode: config.apiUrl ? 'api' : 'direct',
      sources: this.files ? connectionSources(this.env, this.saved) : fixedSources,
      configured:
        !this.packaged ||
        this.saved !== undefined ||
        Boolean(this.env['CRUDDUR_TARGET']) ||
        Boolean(this.env['CRUDDUR_API_URL']),
    };
  }

  /**
   * Saves the connection (the input is already parsed by the contract) and makes the config
   * anew; answers the new view. A connection the config refuses is not written.
   */
  update(input: ConnectionInput): Promise<ConnectionView> {
    const next = this.queue.then(() => this.write(input));
    this.queue = next.catch(() => {});
    return next;
  }

  private async write(input: ConnectionInput): Promise<ConnectionView> {
    const files = this.files;
    if (!files) throw new AppError('Unavailable', 'The connection cannot be changed here.');
    const databaseUrl =
      input.databaseUrl === undefined ? (this.saved?.databaseUrl ?? null) : input.databaseUrl;
    // A password belongs to its URL: without a URL of its own there is nothing to log in to.
    const password = databaseUrl === null ? null : input.password;
    const apiUrl = input.apiUrl === undefined ? (this.saved?.apiUrl ?? null) : input.apiUrl;
    const settings = {
      target: input.target,
      region: input.region,
      tableName: input.tableName,
      userPoolId: input.userPoolId,
      userPoolClientId: input.userPoolClientId,
      databaseUrl,
      apiUrl,
    };
    // In API mode the server holds the directory: the app needs no URL of it.
    const apiMode = apiUrl !== null || Boolean(this.env['CRUDDUR_API_URL']);
    if (settings.target === 'aws' && databaseUrl === null && !apiMode && !this.env['CRUDDUR_DATABASE_URL'])
      throw new AppError(
        'Invalid',
        'AWS needs the directory URL (postgres://user@host:5432/db), or the API URL for API mode.',
      );
    const keptPassword = password === undefined ? this.saved?.databasePassword : (password ?? undefined);
    // Made before anything is written: a connection the config refuses leaves the files as they were.
    const saved: SavedConnection = { ...settings, apiUrl: apiUrl ?? undefined };
    const config = loadConfig(this.env, this.cwd, { ...saved, databasePassword: keptPassword });
    const passwordSaved = await files.write(settings, password);
    this.saved = {
      ...saved,
      ...(passwordSaved && keptPassword !== undefined && { databasePassword: keptPassword }),
    };
    this.passwordSaved = passwordSaved;
    this.current = config;
    return this.view();
  }
}

const fixedSources: ConnectionView['sources'] = {
  target: 'default',
  region: 'default',
  tableName: 'default',
  userPoolId: 'default',
  userPoolClientId: 'default',
  databaseUrl: 'default',
  apiUrl: 'default',
};
