import { intFlag, type CliOption } from '../cli/cli';
import { SEED_DEFAULTS, SEED_LIMITS, type SeedSizes } from './plan';

const USERS_TEXT = 'how many people: the 3 named ones plus generated ones';

/** --users as every seeding script takes it, so one value seeds all three stores alike. */
export const USERS_OPTION = {
  type: 'string',
  value: 'N',
  help: `${USERS_TEXT} (default ${SEED_DEFAULTS.users})`,
} as const satisfies CliOption;

export const userCount = (value: string | undefined): number | undefined =>
  intFlag(value, '--users', SEED_LIMITS.users);

/** The seed-size flags that ddb:seed, setup and local share; `note` follows each default. */
export function seedSizeOptions(note?: string) {
  const also = note ? `; ${note}` : '';
  return {
    users: { ...USERS_OPTION, help: `${USERS_TEXT} (default ${SEED_DEFAULTS.users}${also})` },
    groups: {
      type: 'string',
      value: 'N',
      help: `conversations, one per pair of users (default ${SEED_DEFAULTS.groups}${also})`,
    },
    messages: {
      type: 'string',
      value: 'N',
      help: `messages in all conversations together (default ${SEED_DEFAULTS.messages}${also})`,
    },
    'seed-value': {
      type: 'string',
      value: 'TEXT',
      help: `what the uuids and data derive from (default '${SEED_DEFAULTS.seedValue}'${also})`,
    },
  } as const satisfies Record<string, CliOption>;
}

export function parseSeedSizes(values: {
  users?: string;
  groups?: string;
  messages?: string;
  'seed-value'?: string;
}): Partial<SeedSizes> {
  return {
    users: userCount(values.users),
    groups: intFlag(values.groups, '--groups', SEED_LIMITS.groups),
    messages: intFlag(values.messages, '--messages', SEED_LIMITS.messages),
    seedValue: values['seed-value'],
  };
}
