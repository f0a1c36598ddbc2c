import { beforeEach, describe, expect, it } from 'vitest';
import { DEV_PASSWORD } from '../../scripts/seed/users';
import { LOCAL_CONFIRMATION_CODE } from '../../scripts/local/cognito';
import type { RunningApp } from './support/app';
import { useApp } from './support/session';

const current = useApp();
let app: RunningApp;
beforeEach(() => {
  app = current();
});

describe('a new person on the local cloud', () => {
  it('signs up, confirms with the local code, finds andrewbrown by typing "andr", and messages him', async () => {
    const { page } = app;
    const handle = `newbie${Date.now().toString(36)}`;
    const password = 'Newbie-pass-2026!';
    const text = `Hi Andrew, I am ${handle} 👋`;

    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByLabel('Email').fill(`${handle}@example.com`);
    await page.getByLabel('Handle').fill(handle);
    await page.getByLabel('Display name').fill('New Person');
    await page.getByLabel('Password', { exact: true }).fill('short');
    expect(await page.getByRole('list', { name: 'Password rules' }).textContent()).toContain(
      'at least 8 characters',
    );
    await page.getByRole('button', { name: 'Sign up' }).click();
    expect(await page.getByRole('alert').textContent()).toMatch(/^The password needs at least 8 characters/);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign up' }).click();

    await page.getByRole('heading', { name: 'Confirm your account' }).waitFor();
    await page.getByLabel('Code').fill('000000');
    await page.getByRole('button', { name: 'Confirm' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('That code is not right');
    await page.getByLabel('Code').fill(LOCAL_CONFIRMATION_CODE);
    await page.getByRole('button', { name: 'Confirm' }).click();

    await page.getByRole('heading', { name: 'Sign in to Cruddur' }).waitFor();
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(`@${handle}`).waitFor();

    await page.getByRole('button', { name: 'New', exact: true }).click();
    await page.getByLabel('Search people').fill('andr');
    const people = page.getByRole('list', { name: 'People' });
    await people.getByRole('button', { name: /Andrew Brown/ }).click();
    await page.getByRole('textbox', { name: 'Message' }).fill(text);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('log', { name: 'Messages' }).getByText(text).waitFor();
    expect(app.errors).toEqual([]);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Handle').fill('andrewbrown');
    await page.getByLabel('Password', { exact: true }).fill(DEV_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const conversation = page
      .getByRole('list', { name: 'Conversation list' })
      .getByRole('button', { name: /New Person/ });
    await conversation.waitFor();
    expect(await conversation.textContent()).toContain(text);
    await conversation.click();
    await page.getByRole('log', { name: 'Messages' }).getByText(text).waitFor();
    await app.screenshot('andrewbrown-sees-the-first-message');
  });

  it('is told plainly when the handle is taken', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByLabel('Email').fill(`someone${Date.now()}@example.com`);
    await page.getByLabel('Handle').fill('bayko');
    await page.getByLabel('Display name').fill('Not Bayko');
    await page.getByLabel('Password', { exact: true }).fill('Valid-pass-2026!');
    await page.getByRole('button', { name: 'Sign up' }).click();
    expect(await page.getByRole('alert').textContent()).toBe(
      'That handle is already taken. Try another one.',
    );
  });
});
