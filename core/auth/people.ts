import type { Profile } from '../../shared/auth';
import type { Person } from '../../shared/model';
import type { UserDirectory } from '../users/directory';
import type { CognitoAuth } from './cognito-auth';
import { directoryUserOf, type DirectoryLinks } from './directory-link';

/** A verified sign-in, as the directory needs it: the immutable ids and the token that proves them. */
export interface SignedInAccount {
  accessToken: string;
  /** Cognito's user id (the token's sub). */
  sub: string;
  /** Cognito's username (the handle of record). */
  username: string;
}

/**
 * Where the signed-in person's directory row and the people search come from: PostgreSQL itself
 * (direct mode, `DatabasePeople`) or the message API, whose server asks PostgreSQL for the token's
 * sub (API mode). The auth service does not know which.
 */
export interface PeopleDirectory {
  /** The directory row of a verified sign-in: linked, or made, on the first sign-in. */
  userOf(account: SignedInAccount): Promise<Profile>;
  /** People to start a conversation with: handle or display-name prefix, never `me`. */
  search(query: string, me: Person, account: SignedInAccount): Promise<Person[]>;
  /**
   * Which of a would-be account's handle and email the directory holds, checked before signing up;
   * absent where the app cannot ask (API mode: the first sign-in's link refuses a taken one).
   */
  taken?(handle: string, email: string): Promise<{ handle: boolean; email: boolean }>;
}

export const toProfile = ({ uuid, handle, display_name, email }: Profile): Profile => ({
  uuid,
  handle,
  display_name,
  email,
});
export const toPerson = ({ uuid, handle, display_name }: Person): Person => ({ uuid, handle, display_name });

/** The directory in PostgreSQL, reached from this process (the app in direct mode, the API's Lambda). */
export class DatabasePeople implements PeopleDirectory {
  constructor(
    private readonly cognito: Pick<CognitoAuth, 'getUser'>,
    private readonly links: DirectoryLinks,
    private readonly directory: Pick<UserDirectory, 'search'>,
  ) {}

  async userOf(account: SignedInAccount): Promise<Profile> {
    return toProfile(await directoryUserOf(this.cognito, this.links, account));
  }

  async search(query: string, me: Person): Promise<Person[]> {
    return (await this.directory.search(query, me.uuid)).map(toPerson);
  }

  taken(handle: string, email: string): Promise<{ handle: boolean; email: boolean }> {
    return this.links.taken(handle, email);
  }
}
