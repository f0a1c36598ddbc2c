import { describe, expect, it } from 'vitest';
import { useOtherPeople, uniqueText } from './support/others';
import { useAppSession } from './support/session';
import { composer, conversationRow, messageLog, signIn } from './support/ui';

/**
 * Offline, end to end: the main process's cache and outbox behind the real preload. franklin
 * (signed in by no other e2e file) reads and writes; a friend writes through their own service.
 * "The network" is what Electron's net.isOnline() answers the main process.
 */
const session = useAppSession();
const others = useOtherPeople();

const banner = (page: ReturnType<typeof session.app>['page']) =>
  page.getByText('Offline: messages will be sent when the connection is back');

describe('offline', () => {
  it('reads cached conversations after a restart without network, queues a send, and sends it once when the network is back', async () => {
    const franklin = await others.seeded('franklin');
    const [friend] = await others.fresh(`offline${Date.now().toString(36)}`);
    const hello = uniqueText('Are you on the station?');
    const groupUuid = await others.start(friend!, franklin, hello);

    let { page } = session.app();
    await signIn(page, 'franklin');
    await conversationRow(page, friend!.display_name).click();
    await messageLog(page).locator('.bubble', { hasText: hello }).waitFor();

    // The app quits; it starts again with no network at all.
    ({ page } = await session.restart(undefined, { networkUp: false }));
    await banner(page).waitFor({ timeout: 15_000 });
    // The list and the conversation I had open come from the cache.
    await messageLog(page).locator('.bubble', { hasText: hello }).waitFor();

    const reply = uniqueText('On my way to medlab');
    await composer(page).fill(reply);
    await composer(page).press('Enter');
    const mine = messageLog(page).locator('.bubble', { hasText: reply });
    await mine.getByText('Waiting for connection').waitFor();
    await session.app().screenshot('offline');
    expect((await others.service.listMessages(friend!, groupUuid)).items.map((m) => m.message)).not.toContain(
      reply,
    );

    session.main().network.up = true;
    await page.getByRole('button', { name: 'Try now' }).click();
    await banner(page).waitFor({ state: 'detached', timeout: 15_000 });
    await expect.poll(() => mine.getByText('Waiting for connection').count(), { timeout: 15_000 }).toBe(0);
    await expect
      .poll(
        async () =>
          (await others.service.listMessages(friend!, groupUuid)).items.filter((m) => m.message === reply)
            .length,
        { timeout: 15_000 },
      )
      .toBe(1);
    expect(await messageLog(page).locator('.bubble', { hasText: reply }).count()).toBe(1);
    expect(session.app().errors).toEqual([]);
  });
});
