import { describe, expect, it } from 'vitest';
import { buildRows } from '../../renderer/src/components/message-rows';
import { ME } from './support/fake-api';
import { nthMessage } from './support/layout';

/** Messages from..to, oldest first, one every 3 hours (so days change) and every third one mine. */
const run = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => {
    const n = from + i;
    const mine = n % 3 === 0 ? { user_uuid: ME.uuid, display_name: ME.display_name } : {};
    return nthMessage(n, {
      created_at: new Date(Date.UTC(2026, 10, 1) + n * 3 * 3600_000).toISOString(),
      ...mine,
    });
  });

describe('buildRows after an older page', () => {
  it('builds the same rows as from scratch, reusing the rows of the messages that were there', () => {
    const pending = [] as const;
    const newer = {
      messages: run(41, 80),
      pending,
      myUuid: ME.uuid,
      hasOlder: true,
      firstUnreadUuid: undefined,
    };
    const before = buildRows(newer);
    for (const older of [run(1, 40), run(30, 40)]) {
      const source = { ...newer, messages: [...older, ...newer.messages], hasOlder: older.length < 40 };
      const rows = buildRows(source, { source: newer, rows: before });
      expect(rows).toEqual(buildRows(source));
      expect(rows.at(-1)).toBe(before.at(-1));
    }
  });
});
