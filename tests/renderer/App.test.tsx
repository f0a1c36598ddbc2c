import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/App';
import { fail } from '../../shared/result';
import { installFakeApi } from './support/fake-api';

describe('the app frame', () => {
  it('shows the two panes and the info from the main process', async () => {
    installFakeApi();
    render(<App />);
    expect(screen.getByRole('navigation', { name: 'Conversations' })).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Conversation' })).toBeTruthy();
    expect(await screen.findByText(/Cruddur 1\.2\.3/)).toBeTruthy();
    expect(screen.getByRole('status').textContent).toContain('backend local (us-east-1)');
  });

  it('says so when the main process answers with an error', async () => {
    installFakeApi({ getAppInfo: async () => fail('Unavailable', 'The backend is down.') });
    render(<App />);
    expect(await screen.findByText('Cannot reach the app: The backend is down.')).toBeTruthy();
  });

  it('follows window focus pushed from the main process and unsubscribes on unmount', async () => {
    const fake = installFakeApi();
    const { container, unmount } = render(<App />);
    await screen.findByText(/Cruddur 1\.2\.3/);
    act(() => fake.emit('window.focus', { focused: false }));
    expect(container.querySelector('.app--blurred')).not.toBeNull();
    act(() => fake.emit('window.focus', { focused: true }));
    expect(container.querySelector('.app--blurred')).toBeNull();
    unmount();
    expect(fake.listenerCount('window.focus')).toBe(0);
  });
});
