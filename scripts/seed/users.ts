import { createHash } from 'node:crypto';
import type { Person } from '../../shared/model';

/**
 * The people every seed uses (DynamoDB, PostgreSQL and Cognito alike), with the same uuids for a
 * given seed value, so the three stores agree about who is who.
 */
export interface SeedUser extends Person {
  email: string;
}

/** The dev password of every seeded account on the local cloud (meets Cognito's default policy). */
export const DEV_PASSWORD = 'Cruddur-dev-2026!';
export const DEFAULT_SEED_VALUE = 'cruddur';

const NAMED = [
  { handle: 'andrewbrown', display_name: 'Andrew Brown' },
  { handle: 'bayko', display_name: 'Andrew Bayko' },
  { handle: 'londo', display_name: 'Londo Mollari' },
] as const;

const GENERATED = [
  ['delenn', 'Delenn Mir'],
  ['sheridan', 'John Sheridan'],
  ['ivanova', 'Susan Ivanova'],
  ['garibaldi', 'Michael Garibaldi'],
  ['franklin', 'Stephen Franklin'],
  ['lennier', 'Lennier of the Third Fane'],
  ['vir', 'Vir Cotto'],
  ['gkar', "G'Kar"],
  ['talia', 'Talia Winters'],
  ['zack', 'Zack Allan'],
  ['marcus', 'Marcus Cole'],
  ['lyta', 'Lyta Alexander'],
] as const;

/** A stable uuid (version 4 layout) derived from the seed value and a name. */
export function seededUuid(seedValue: string, name: string): string {
  const hex = createHash('sha256').update(`${seedValue}:${name}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The three named users plus `count - 3` generated ones (at least the three). */
export function seedUsers(options: { count?: number; seedValue?: string } = {}): SeedUser[] {
  const seedValue = options.seedValue ?? DEFAULT_SEED_VALUE;
  const count = Math.max(NAMED.length, options.count ?? 10);
  const people: { handle: string; display_name: string }[] = [...NAMED];
  for (let i = 0; people.length < count; i++) {
    const [handle, display_name] = GENERATED[i % GENERATED.length]!;
    const round = Math.floor(i / GENERATED.length);
    people.push(
      round === 0
        ? { handle, display_name }
        : { handle: `${handle}${round + 1}`, display_name: `${display_name} ${round + 1}` },
    );
  }
  return people.map((person) => ({
    ...person,
    uuid: seededUuid(seedValue, person.handle),
    email: `${person.handle}@cruddur.test`,
  }));
}
