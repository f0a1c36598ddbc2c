import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  InitiateAuthCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCognitoClient } from '../../core/clients';
import { listCognitoUsers, seedCognitoUsers, type CognitoUserSummary } from '../../scripts/admin/cognito';
import type { PoolIds } from '../../scripts/admin/cognito-pool';
import { DEV_PASSWORD, seedUsers } from '../../scripts/seed/users';
import { cloudEnv, runScript, testConfig } from '../support/cloud';
import { freePort } from '../support/local-cloud-setup';
import { createPrivateUserPool, startPagingProxy } from '../support/private-cloud';

/** Each test works in a user pool of its own, so counts never include another file's users. */
let cognito: CognitoIdentityProviderClient;
const newPool = (): Promise<PoolIds> => createPrivateUserPool(cognito);
const envFor = (ids: PoolIds, extra: Record<string, string> = {}) =>
  cloudEnv({
    CRUDDUR_USER_POOL_ID: ids.userPoolId,
    CRUDDUR_USER_POOL_CLIENT_ID: ids.userPoolClientId,
    ...extra,
  });

beforeAll(() => {
  cognito = createCognitoClient(testConfig());
});
afterAll(() => cognito.destroy());

const expectOneLineError = (stderr: string, pattern: RegExp) => {
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr).toMatch(pattern);
};

describe('cognito:seed-users', () => {
  it('creates the seeded people as confirmed accounts once, and leaves them alone the second time', async () => {
    const ids = await newPool();
    const first = await runScript('cognito:seed-users', ['--json'], envFor(ids));
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(first.stdout)).toEqual({ userPoolId: ids.userPoolId, created: 10, existing: 0 });
    const again = await runScript('cognito:seed-users', [], envFor(ids));
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/0 created, 10 already there/);

    const users = await listCognitoUsers(cognito, ids.userPoolId);
    expect(users.map((u) => u.username).sort()).toEqual(
      seedUsers()
        .map((u) => u.handle)
        .sort(),
    );
    const andrew = users.find((u) => u.username === 'andrewbrown');
    // The username is the handle of record: the seed sets no preferred_username.
    expect(andrew).toEqual({
      username: 'andrewbrown',
      sub: expect.stringMatching(/^[\w-]{36}$/),
      preferredUsername: undefined,
      name: 'Andrew Brown',
      email: 'andrewbrown@cruddur.test',
      emailVerified: true,
      status: 'CONFIRMED',
      enabled: true,
      createdAt: expect.any(String),
    });
    // The permanent dev password signs in by handle, as the app will.
    const auth = await cognito.send(
      new InitiateAuthCommand({
        ClientId: ids.userPoolClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'bayko', PASSWORD: DEV_PASSWORD },
      }),
    );
    expect(auth.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it('counts an account that already exists and does not change it', async () => {
    const ids = await newPool();
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: ids.userPoolId,
        Username: 'londo',
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'name', Value: 'Ambassador Mollari' }],
      }),
    );
    const result = await seedCognitoUsers(cognito, ids.userPoolId, seedUsers({ count: 5 }), DEV_PASSWORD);
    expect(result).toEqual({ created: 4, existing: 1 });
    const londo = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: ids.userPoolId, Username: 'londo' }),
    );
    expect(londo.UserAttributes?.find((a) => a.Name === 'name')?.Value).toBe('Ambassador Mollari');
    expect(londo.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
  });

  it('refuses target aws without --yes, before calling anything', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const result = await runScript(
      'cognito:seed-users',
      [],
      cloudEnv({
        CRUDDUR_TARGET: 'aws',
        CRUDDUR_COGNITO_ENDPOINT: closed,
        CRUDDUR_USER_POOL_ID: 'us-east-1_Real',
      }),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^error: refusing to run cognito:seed-users on target aws \(region us-east-1, user pool us-east-1_Real\) without --yes: .*add --yes\n$/,
    );
  });
});

describe('cognito:list-users', () => {
  let ids: PoolIds;
  beforeAll(async () => {
    ids = await newPool();
    await seedCognitoUsers(cognito, ids.userPoolId, seedUsers({ count: 7 }), DEV_PASSWORD);
  });

  it('prints every user as a table, or as a JSON array with --json', async () => {
    const [text, json] = await Promise.all([
      runScript('cognito:list-users', [], envFor(ids)),
      runScript('cognito:list-users', ['--json'], envFor(ids)),
    ]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^username\s+preferred_username\s+name\s+email\s+status\s+sub\n/);
    expect(text.stdout).toMatch(
      /^andrewbrown\s+-\s+Andrew Brown\s+andrewbrown@cruddur\.test\s+CONFIRMED\s+[\w-]{36}$/m,
    );
    expect(text.stdout).toMatch(new RegExp(`7 users in ${ids.userPoolId}\\n$`));
    expect(json.code).toBe(0);
    const users = JSON.parse(json.stdout) as CognitoUserSummary[];
    expect(users.map((u) => u.username)).toEqual(
      seedUsers({ count: 7 })
        .map((u) => u.handle)
        .sort(),
    );
    expect(new Set(users.map((u) => u.sub)).size).toBe(7);
  });

  it('follows PaginationToken through every page', async () => {
    // cognito-local ignores Limit, so a proxy re-pages its real answers the way AWS does.
    const proxy = await startPagingProxy(testConfig().cognitoEndpoint!, 3);
    try {
      const viaProxy = createCognitoClient(testConfig({ CRUDDUR_COGNITO_ENDPOINT: proxy.endpoint }));
      const users = await listCognitoUsers(viaProxy, ids.userPoolId, { pageSize: 2 });
      viaProxy.destroy();
      expect(users).toHaveLength(7);
      expect(proxy.listUsersPages()).toBe(4);
      const cli = await runScript(
        'cognito:list-users',
        ['--json'],
        envFor(ids, { CRUDDUR_COGNITO_ENDPOINT: proxy.endpoint }),
      );
      expect(cli.code).toBe(0);
      expect(JSON.parse(cli.stdout)).toHaveLength(7);
      expect(proxy.listUsersPages()).toBe(4 + 3);
    } finally {
      await proxy.close();
    }
  });
});

describe('the Cognito scripts fail in one line', () => {
  it('exit 5 when Cognito cannot be reached', async () => {
    const closed = cloudEnv({ CRUDDUR_COGNITO_ENDPOINT: `http://127.0.0.1:${await freePort()}` });
    const results = await Promise.all([
      runScript('cognito:seed-users', [], closed),
      runScript('cognito:list-users', ['--json'], closed),
    ]);
    for (const result of results) {
      expect(result.code).toBe(5);
      expect(result.stdout).toBe('');
      expectOneLineError(result.stderr, /^error: Cognito at http:\/\/127\.0\.0\.1:\d+ cannot be reached/);
    }
  });

  it('gives up on a closed Cognito port within the SDK retries, without waiting out a timeout', async () => {
    // Timed in-process: a spawned script's own start-up time swamps this on a loaded machine.
    const closed = createCognitoClient(
      testConfig({ CRUDDUR_COGNITO_ENDPOINT: `http://127.0.0.1:${await freePort()}` }),
    );
    const started = Date.now();
    await expect(listCognitoUsers(closed, 'us-east-1_Any')).rejects.toMatchObject({ code: 'Unavailable' });
    expect(Date.now() - started).toBeLessThan(5_000);
    closed.destroy();
  });

  it('exit 2 with the usage line for bad flags', async () => {
    const results = await Promise.all([
      runScript('cognito:seed-users', ['--users', 'many']),
      runScript('cognito:list-users', ['--limit', '3']),
    ]);
    for (const result of results) {
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^error: .*\nusage: npm run cognito:[a-z-]+ --/);
    }
    expect(results[0].stderr).toMatch(/--users must be a whole number/);
  });

  it('exit 3 for a pool that does not exist, exit 2 when no pool is configured', async () => {
    const [missing, unset] = await Promise.all([
      runScript('cognito:list-users', [], cloudEnv({ CRUDDUR_USER_POOL_ID: 'us-east-1_NoSuchPool' })),
      runScript(
        'cognito:list-users',
        [],
        cloudEnv({
          CRUDDUR_USER_POOL_ID: '',
          CRUDDUR_LOCAL_DIR: await mkdtemp(join(tmpdir(), 'cruddur-empty-')),
        }),
      ),
    ]);
    expect(missing.code).toBe(3);
    expectOneLineError(missing.stderr, /^error: /);
    expect(unset.code).toBe(2);
    expectOneLineError(unset.stderr, /^error: no user pool yet: .*CRUDDUR_USER_POOL_ID/);
  });
});
