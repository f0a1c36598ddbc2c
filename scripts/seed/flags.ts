import { intFlag } from '../cli/cli';
import { SEED_DEFAULTS, SEED_LIMITS, type SeedSizes } from './plan';

/** The seed-size flags that ddb:seed, setup and local share. */
export const SEED_SIZE_OPTIONS = {
  users: { type: 'string' },
  groups: { type: 'string' },
  messages: { type: 'string' },
  'seed-value': { type: 'string' },
} as const;

export const SEED_SIZE_HELP = [
  `--users N         users, the three named ones included (default ${SEED_DEFAULTS.users})`,
  `--groups N        conversations, one per pair of users (default ${SEED_DEFAULTS.groups})`,
  `--messages N      messages in all conversations together (default ${SEED_DEFAULTS.messages})`,
  `--seed-value TEXT what the uuids and data derive from (default '${SEED_DEFAULTS.seedValue}')`,
];

export function parseSeedSizes(values: {
  users?: string;
  groups?: string;
  messages?: string;
  'seed-value'?: string;
}): Partial<SeedSizes> {
  return {
    users: intFlag(values.users, '--users', SEED_LIMITS.users),
    groups: intFlag(values.groups, '--groups', SEED_LIMITS.groups),
    messages: intFlag(values.messages, '--messages', SEED_LIMITS.messages),
    seedValue: values['seed-value'],
  };
}
