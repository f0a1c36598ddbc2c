import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { UnreadTally } from '../../electron/main/unread-tally';
import { groupSk } from '../../shared/model';
import { captureLog } from '../support/log-capture';
import { createFakeElectron } from './support/fake-electron';

const at = (second: number) => `2026-03-01T10:00:${String(second).padStart(2, '0')}.000Z`;
const view = (groupUuid: string, second: number, unread: number) => ({
  message_group_uuid: groupUuid,
  sk: groupSk(at(second), groupUuid),
  unread_count: unread,
});

/** A tally on Electron's (fake) app.setBadgeCount, signed in. */
function signedIn() {
  const { electron } = createFakeElectron();
  const tally = new UnreadTally((count) => electron.app.setBadgeCount(count));
  const session = randomUUID();
  tally.reset(session);
  const badge = () => electron.app.setBadgeCount.mock.calls.at(-1)?.[0];
  return { tally, session, badge, setBadgeCount: electron.app.setBadgeCount };
}

describe('the unread badge', () => {
  it('shows the total of the pages listConversations served, the pushes and the read marks', () => {
    const { tally, session, badge } = signedIn();
    const [a, b] = [randomUUID(), randomUUID()];
    tally.note(session, [view(a, 1, 2), view(b, 2, 1)]);
    expect(badge()).toBe(3);
    tally.note(session, [view(a, 5, 4)]);
    expect(badge()).toBe(5);
    tally.marked(session, a, 0);
    expect(badge()).toBe(1);
    expect(tally.unreadOf(session, a)).toBe(0);
  });

  it('sets the badge only when the total changes', () => {
    const { tally, session, setBadgeCount } = signedIn();
    const a = randomUUID();
    tally.note(session, [view(a, 1, 2)]);
    tally.note(session, [view(a, 1, 2)]);
    expect(setBadgeCount.mock.calls).toEqual([[0], [2]]);
  });

  it('keeps a read mark against an older page or the same group item counted before it', () => {
    const { tally, session, badge } = signedIn();
    const a = randomUUID();
    tally.note(session, [view(a, 5, 3)]);
    tally.marked(session, a, 0);
    tally.note(session, [view(a, 5, 3)]);
    tally.note(session, [view(a, 4, 2)]);
    expect(badge()).toBe(0);
    tally.note(session, [view(a, 6, 1)]);
    expect(badge()).toBe(1);
  });

  it('goes to 0 on sign-out and starts over for the next sign-in', () => {
    const { tally, session, badge } = signedIn();
    tally.note(session, [view(randomUUID(), 1, 7)]);
    tally.reset(undefined);
    expect(badge()).toBe(0);
    const next = randomUUID();
    tally.reset(next);
    tally.note(session, [view(randomUUID(), 2, 4)]);
    expect(badge()).toBe(0);
    expect(tally.total()).toBe(0);
  });

  it('ignores a desktop without a badge', () => {
    captureLog();
    const tally = new UnreadTally(
      vi.fn(() => {
        throw new Error('no badge here');
      }),
    );
    const session = randomUUID();
    tally.reset(session);
    expect(() => tally.note(session, [view(randomUUID(), 1, 2)])).not.toThrow();
    expect(tally.total()).toBe(2);
  });
});
