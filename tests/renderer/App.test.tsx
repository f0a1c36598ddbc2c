import { act, fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/App';
import { fail, ok } from '../../shared/result';
import { installFakeApi, ME } from './support/fake-api';

describe('the app frame', () => {
  it('opens on the sign-in screen, with the info from the main process', async () => {
    installFakeApi();
    render(<App />);
    expect(await screen.findByRole('heading', { name: 'Sign in to Cruddur' })).toBeTruthy();
    expect(await screen.findByText(/Cruddur 1\.2\.3/)).toBeTruthy();
    expect(screen.getByRole('status').textContent).toContain('backend local (us-east-1)');
    expect(screen.queryByRole('navigation', { name: 'Conversations' })).toBeNull();
  });

  it('shows the two panes when a remembered session is restored', async () => {
    installFakeApi({ getSession: async () => ok(ME) });
    render(<App />);
    expect(await screen.findByRole('navigation', { name: 'Conversations' })).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Conversation' })).toBeTruthy();
    expect(screen.getByText('@andrewbrown')).toBeTruthy();
  });

  it('says so when the main process answers with an error', async () => {
    installFakeApi({ getAppInfo: async () => fail('Unavailable', 'The backend is down.') });
    render(<App />);
    expect(await screen.findByText('Cannot reach the app: The backend is down.')).toBeTruthy();
  });

  it('follows pushed focus and session changes, and unsubscribes on unmount', async () => {
    const fake = installFakeApi({ getSession: async () => ok(ME) });
    const { container, unmount } = render(<App />);
    await screen.findByRole('navigation', { name: 'Conversations' });
    act(() => fake.emit('window.focus', { focused: false }));
    expect(container.querySelector('.app--blurred')).not.toBeNull();
    act(() => fake.emit('session.changed', { profile: null, session: null }));
    expect(await screen.findByRole('heading', { name: 'Sign in to Cruddur' })).toBeTruthy();
    unmount();
    expect(fake.listenerCount('window.focus')).toBe(0);
    expect(fake.listenerCount('messages.new')).toBe(0);
  });

  it('sends an account that needs a new password to the reset screen, handle and reason kept', async () => {
    const reason = 'This account needs a new password. Ask for a code to set one.';
    installFakeApi({ signIn: async () => fail('Forbidden', reason, 'PasswordResetRequired') });
    render(<App />);
    fireEvent.change(await screen.findByLabelText('Handle'), { target: { value: 'bayko' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'Cruddur-dev-2026!' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { name: 'Reset your password' })).toBeTruthy();
    expect(screen.getByText(reason)).toBeTruthy();
    expect((screen.getByLabelText('Handle') as HTMLInputElement).value).toBe('bayko');
  });
});
