import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError } from '../../shared/auth';
import { DirectoryLinks } from '../../core/auth/directory-link';
import { SEARCH_LIMIT } from '../../core/users/directory';
import {
  adminCreatedAccount,
  authHarness,
  confirmedAccount,
  newAccount,
  uniqueHandle,
  type AuthHarness,
} from '../support/auth';

let h: AuthHarness;
beforeAll(async () => {
  h = await authHarness();
});
afterAll(() => h.close());

const insertUser = async (
  handle: string,
  displayName = `Person ${handle}`,
  {
    cognitoUserId = null,
    email = `${handle.toLowerCase()}@directory.test`,
  }: {
    cognitoUserId?: string | null;
    email?: string;
  } = {},
) => {
  const { rows } = await h.pool.query<{ uuid: string }>(
    'INSERT INTO users (handle, display_name, email, cognito_user_id) VALUES ($1, $2, $3, $4) RETURNING uuid::text',
    [handle, displayName, email, cognitoUserId],
  );
  return rows[0]!.uuid;
};

describe('mapping the Cognito account to the directory', () => {
  it('links the unlinked row of the same handle (any case) and verified email instead of creating one', async () => {
    const account = { ...newAccount('Seed_'), display_name: 'Seeded In Cognito' };
    const seededUuid = await insertUser(account.handle, 'Seeded Person', {
      email: account.email.toUpperCase(),
    });
    await adminCreatedAccount(h.cognito, h.config, account);

    const profile = await h.service.signIn(account);

    expect(profile.uuid).toBe(seededUuid);
    expect(profile.display_name).toBe('Seeded Person');
    const { rows } = await h.pool.query('SELECT cognito_user_id FROM users WHERE lower(handle) = lower($1)', [
      account.handle,
    ]);
    expect(rows).toEqual([{ cognito_user_id: expect.any(String) }]);
    await h.service.signOut();
  });

  it('refuses a sign-in whose handle belongs to another account in the directory', async () => {
    const account = newAccount();
    await insertUser(account.handle, 'Someone else', { cognitoUserId: randomUUID(), email: account.email });
    await adminCreatedAccount(h.cognito, h.config, account);

    const error = await h.service.signIn(account).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ code: 'Conflict', reason: 'HandleTaken' });
    expect(h.service.profile()).toBeUndefined();
  });

  it('gives two simultaneous first sign-ins of one account the same single row', async () => {
    const links = new DirectoryLinks(h.pool);
    const identity = {
      sub: randomUUID(),
      username: uniqueHandle(),
      display_name: 'Racer',
      email: `${randomUUID()}@x.test`,
      emailVerified: true,
    };
    const rows = await Promise.all([1, 2, 3, 4].map(() => links.linkOrCreate(identity)));
    expect(new Set(rows.map((row) => row.uuid)).size).toBe(1);

    const seeded = {
      ...identity,
      sub: randomUUID(),
      username: uniqueHandle(),
      email: `${randomUUID()}@x.test`,
    };
    const seededUuid = await insertUser(seeded.username, 'Seeded', { email: seeded.email });
    const linked = await Promise.all([1, 2, 3].map(() => links.linkOrCreate(seeded)));
    expect(linked.map((row) => row.uuid)).toEqual([seededUuid, seededUuid, seededUuid]);
  });

  it('caches the mapping for the session: message actions make no directory query', async () => {
    const account = await confirmedAccount(h.service);
    const profile = await h.service.signIn(account);
    await h.pool.query('UPDATE users SET display_name = $2 WHERE uuid = $1', [
      profile.uuid,
      'Renamed Meanwhile',
    ]);

    await expect(h.service.requireUser()).resolves.toEqual({
      uuid: profile.uuid,
      handle: account.handle,
      display_name: account.display_name,
    });
    expect(h.service.currentUser()).toMatchObject({ uuid: profile.uuid, handle: account.handle });
    const linked = await h.pool.query('SELECT cognito_user_id FROM users WHERE uuid = $1', [profile.uuid]);
    expect(linked.rows[0].cognito_user_id).toEqual(expect.any(String));
    await expect(h.relaunch().restore()).resolves.toMatchObject({ display_name: 'Renamed Meanwhile' });
    await h.service.signOut();
  });
});

describe('searching people to start a conversation with', () => {
  it('finds by handle or display-name prefix in any case, at most 20, never the searcher', async () => {
    const prefix = uniqueHandle('s');
    const account = await confirmedAccount(h.service, { ...newAccount(), handle: `${prefix}_me` });
    const me = await h.service.signIn(account);
    for (let i = 0; i < SEARCH_LIMIT + 2; i++) await insertUser(`${prefix}_${String(i).padStart(2, '0')}`);
    const byName = uniqueHandle('n');
    await insertUser(byName, `Zed ${prefix.toUpperCase()} Named`);

    const found = await h.service.searchUsers(prefix.toUpperCase());

    expect(found).toHaveLength(SEARCH_LIMIT);
    expect(found.map((p) => p.uuid)).not.toContain(me.uuid);
    expect(found.every((p) => p.handle.startsWith(prefix))).toBe(true);
    expect(Object.keys(found[0]!).sort()).toEqual(['display_name', 'handle', 'uuid']);
    await expect(h.service.searchUsers(`zed ${prefix}`)).resolves.toEqual([
      { uuid: expect.any(String), handle: byName, display_name: `Zed ${prefix.toUpperCase()} Named` },
    ]);
    await expect(h.service.searchUsers(`${prefix}_m`)).resolves.toEqual([]);
    await expect(h.service.searchUsers('%')).resolves.toEqual([]);
    await h.service.signOut();
  });
});
