import { fireEvent, render, screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../renderer/src/App';
import { useAppStore } from '../../renderer/src/store/app';
import { fail, ok } from '../../shared/result';
import { installFakeApi, ME } from './support/fake-api';

beforeEach(() => useAppStore.getState().resetView());

async function openSettings(overrides: Parameters<typeof installFakeApi>[0] = {}) {
  const fake = installFakeApi({ getSession: async () => ok(ME), ...overrides });
  render(<App />);
  const button = await screen.findByRole('button', { name: 'Settings' });
  button.focus();
  fireEvent.click(button);
  const dialog = screen.getByRole('dialog', { name: 'Settings' });
  await within(dialog).findByRole('group', { name: 'Theme' });
  return { fake, dialog, button };
}

describe('the settings view', () => {
  it('shows the settings from the main process, and the app version and target', async () => {
    const { dialog } = await openSettings({
      getSettings: async () =>
        ok({ theme: 'dark', notifications: true, notificationText: false, cacheLimitMb: 200 }),
    });
    expect((within(dialog).getByRole('radio', { name: 'Dark' }) as HTMLInputElement).checked).toBe(true);
    expect((within(dialog).getByRole('radio', { name: 'System' }) as HTMLInputElement).checked).toBe(false);
    const notifications = within(dialog).getByRole('checkbox', { name: 'Show desktop notifications' });
    const text = within(dialog).getByRole('checkbox', { name: 'Show message text in notifications' });
    expect((notifications as HTMLInputElement).checked).toBe(true);
    expect((text as HTMLInputElement).checked).toBe(false);
    expect(within(dialog).getByText('Cruddur 1.2.3')).toBeTruthy();
    expect(within(dialog).getByText('local')).toBeTruthy();
  });

  it('focuses the chosen theme on open and saves a change at once', async () => {
    const { fake, dialog } = await openSettings();
    const system = within(dialog).getByRole('radio', { name: 'System' });
    expect(document.activeElement).toBe(system);
    fireEvent.click(within(dialog).getByRole('radio', { name: 'Light' }));
    expect(fake.api.updateSettings).toHaveBeenCalledWith({ theme: 'light' });
    await vi.waitFor(() =>
      expect((within(dialog).getByRole('radio', { name: 'Light' }) as HTMLInputElement).checked).toBe(true),
    );
    fireEvent.click(within(dialog).getByRole('checkbox', { name: 'Show desktop notifications' }));
    expect(fake.api.updateSettings).toHaveBeenLastCalledWith({ notifications: false });
    const text = within(dialog).getByRole('checkbox', { name: 'Show message text in notifications' });
    await vi.waitFor(() => expect((text as HTMLInputElement).disabled).toBe(true));
  });

  it('offers the message cache limits and saves a choice at once', async () => {
    const { fake, dialog } = await openSettings({
      getSettings: async () =>
        ok({ theme: 'system', notifications: true, notificationText: true, cacheLimitMb: 50 }),
    });
    const cache = within(dialog).getByRole('combobox', { name: 'Message cache' }) as HTMLSelectElement;
    expect([...cache.options].map((option) => option.textContent)).toEqual([
      '10 MB',
      '50 MB',
      '200 MB',
      '1 GB',
    ]);
    expect(cache.value).toBe('50');
    expect(within(dialog).getByText(/kept on this computer, encrypted/).id).toBe(
      cache.getAttribute('aria-describedby'),
    );
    fireEvent.change(cache, { target: { value: '1000' } });
    expect(fake.api.updateSettings).toHaveBeenLastCalledWith({ cacheLimitMb: 1000 });
    await vi.waitFor(() => expect(cache.value).toBe('1000'));
  });

  it('shows a cache limit between the offered ones as it is', async () => {
    const { dialog } = await openSettings({
      getSettings: async () =>
        ok({ theme: 'system', notifications: true, notificationText: true, cacheLimitMb: 120 }),
    });
    const cache = within(dialog).getByRole('combobox', { name: 'Message cache' }) as HTMLSelectElement;
    expect(cache.value).toBe('120');
    expect(cache.selectedOptions[0]?.textContent).toBe('120 MB');
  });

  it('puts a setting back and says why when it cannot be saved', async () => {
    const { dialog } = await openSettings({
      updateSettings: async () => fail('Unavailable', 'The settings file cannot be written.'),
    });
    fireEvent.click(within(dialog).getByRole('radio', { name: 'Dark' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe(
      'Could not save the settings: The settings file cannot be written.',
    );
    expect((within(dialog).getByRole('radio', { name: 'System' }) as HTMLInputElement).checked).toBe(true);
  });

  it('opens with Ctrl+, and closes with Esc, focus back on the button', async () => {
    const { button } = await openSettings();
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(screen.queryByRole('dialog', { name: 'Settings' })).toBeNull();
    expect(document.activeElement).toBe(button);
    fireEvent.keyDown(button, { key: ',', ctrlKey: true });
    expect(screen.getByRole('dialog', { name: 'Settings' })).toBeTruthy();
  });
});
