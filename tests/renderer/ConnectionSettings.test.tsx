import { fireEvent, render, screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../renderer/src/App';
import { useAppStore } from '../../renderer/src/store/app';
import { useConnectionStore } from '../../renderer/src/store/connection';
import type { ConnectionView } from '../../shared/connection';
import { ok } from '../../shared/result';
import { installFakeApi, ME } from './support/fake-api';

const VIEW: ConnectionView = {
  target: 'aws',
  region: 'eu-west-1',
  tableName: 'team-messages',
  userPoolId: 'eu-west-1_AbC123',
  userPoolClientId: 'client42',
  databaseHost: 'db.example:5432/cruddur',
  databaseUrlSaved: true,
  passwordSaved: true,
  apiUrl: null,
  mode: 'direct',
  sources: {
    target: 'file',
    region: 'file',
    tableName: 'environment',
    userPoolId: 'file',
    userPoolClientId: 'file',
    databaseUrl: 'file',
    apiUrl: 'default',
  },
  configured: true,
};

beforeEach(() => {
  useAppStore.getState().resetView();
  useConnectionStore.setState({ connection: undefined, error: undefined, checks: undefined, saves: 0 });
});

async function openConnection(overrides: Parameters<typeof installFakeApi>[0] = {}) {
  const fake = installFakeApi({
    getSession: async () => ok(ME),
    getConnection: async () => ok(VIEW),
    ...overrides,
  });
  render(<App />);
  fireEvent.click(await screen.findByRole('button', { name: 'Settings' }));
  const dialog = screen.getByRole('dialog', { name: 'Settings' });
  const form = await within(dialog).findByRole('form', { name: 'Connection' });
  return { fake, form };
}

const field = (form: HTMLElement, name: string) => within(form).getByLabelText(name) as HTMLInputElement;

describe('the connection settings', () => {
  it('shows the connection, never a password, and what the environment sets read-only', async () => {
    const { form } = await openConnection();
    expect((within(form).getByRole('radio', { name: 'AWS' }) as HTMLInputElement).checked).toBe(true);
    expect(field(form, 'Region').value).toBe('eu-west-1');
    expect(field(form, 'User pool id').value).toBe('eu-west-1_AbC123');
    expect(field(form, 'App client id').value).toBe('client42');
    const table = field(form, 'Table');
    expect(table.value).toBe('team-messages');
    expect(table.readOnly).toBe(true);
    expect(within(form).getByText('set by the environment')).toBeTruthy();
    expect(field(form, 'Region').readOnly).toBe(false);
    const password = field(form, 'Directory password');
    expect(password.type).toBe('password');
    expect(password.value).toBe('');
    expect(within(form).getByText(/password saved/)).toBeTruthy();
    expect(within(form).getByText(/db\.example:5432\/cruddur/)).toBeTruthy();
    expect(within(form).getByText(/you are signed out/)).toBeTruthy();
  });

  it('saves with updateConnection, the password only when typed', async () => {
    const { fake, form } = await openConnection({
      updateConnection: async (input) => ok({ ...VIEW, region: input.region }),
    });
    fireEvent.change(field(form, 'Region'), { target: { value: 'us-west-2' } });
    fireEvent.change(field(form, 'User pool id'), { target: { value: 'us-west-2_Zz9' } });
    fireEvent.change(field(form, 'Directory password'), { target: { value: 'hunter2' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    expect(fake.api.updateConnection).toHaveBeenCalledWith({
      target: 'aws',
      region: 'us-west-2',
      tableName: 'team-messages',
      userPoolId: 'us-west-2_Zz9',
      userPoolClientId: 'client42',
      password: 'hunter2',
    });
    expect(await within(form).findByRole('status')).toHaveProperty(
      'textContent',
      expect.stringContaining('AWS (us-west-2)'),
    );
    // The form is filled again from the saved connection (an effect after the render that says Saved).
    await vi.waitFor(() => expect(field(form, 'Directory password').value).toBe(''));
  });

  it('shows what the main process refused', async () => {
    const { form } = await openConnection({
      updateConnection: async () => ({
        ok: false,
        error: { code: 'Invalid', message: 'an AWS region such as us-east-1' },
      }),
    });
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    expect((await within(form).findByRole('alert')).textContent).toContain('an AWS region such as us-east-1');
  });

  it("shows each service's answer after Check services", async () => {
    const { fake, form } = await openConnection({
      checkServices: async () =>
        ok([
          { service: 'dynamodb', ok: true },
          { service: 'cognito', ok: true },
          { service: 'postgres', ok: false, message: 'connect ECONNREFUSED 10.0.0.5:5432' },
        ]),
    });
    fireEvent.click(within(form).getByRole('button', { name: 'Check services' }));
    const list = await within(form).findByRole('list', { name: 'Services' });
    expect(fake.api.checkServices).toHaveBeenCalledTimes(1);
    expect([...list.querySelectorAll('li')].map((item) => item.textContent)).toEqual([
      'DynamoDB: answers',
      'Cognito: answers',
      'PostgreSQL: connect ECONNREFUSED 10.0.0.5:5432',
    ]);
  });
});

describe('the mode', () => {
  const API_VIEW: ConnectionView = {
    ...VIEW,
    apiUrl: 'https://api.example.com',
    mode: 'api',
    databaseHost: '',
    databaseUrlSaved: false,
    passwordSaved: false,
  };

  it('says direct mode holds AWS credentials and a database connection', async () => {
    const { form } = await openConnection();
    expect(
      within(form).getByText('Direct: this computer holds AWS credentials and a database connection'),
    ).toBeTruthy();
    expect(field(form, 'API URL').value).toBe('');
  });

  it('says API mode holds only the sign-in, and asks for no table and no directory', async () => {
    const { form } = await openConnection({ getConnection: async () => ok(API_VIEW) });
    expect(
      within(form).getByText(
        'API: the server decides who may read what; this computer holds only your sign-in',
      ),
    ).toBeTruthy();
    expect(field(form, 'API URL').value).toBe('https://api.example.com');
    for (const label of ['Table', 'Directory URL', 'Directory password'])
      expect(within(form).queryByLabelText(label)).toBeNull();
    expect(within(form).getByText(/no AWS credentials are used/)).toBeTruthy();
  });

  it('saves a new API URL, and null to go back to direct mode', async () => {
    const { fake, form } = await openConnection({
      getConnection: async () => ok(API_VIEW),
      updateConnection: async (input) =>
        ok({ ...API_VIEW, apiUrl: input.apiUrl ?? null, mode: input.apiUrl ? 'api' : 'direct' }),
    });
    fireEvent.change(field(form, 'API URL'), { target: { value: ' https://other.example.com ' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    expect(fake.api.updateConnection).toHaveBeenLastCalledWith(
      expect.objectContaining({ apiUrl: 'https://other.example.com' }),
    );
    expect((await within(form).findByRole('status')).textContent).toContain('through the message API');

    fireEvent.change(field(form, 'API URL'), { target: { value: '' } });
    // Direct mode asks for the directory again.
    expect(field(form, 'Directory URL')).toBeTruthy();
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    expect(fake.api.updateConnection).toHaveBeenLastCalledWith(expect.objectContaining({ apiUrl: null }));
  });

  it("names the message API among the services' answers", async () => {
    const { form } = await openConnection({
      getConnection: async () => ok(API_VIEW),
      checkServices: async () =>
        ok([
          { service: 'api', ok: true },
          { service: 'cognito', ok: true },
        ]),
    });
    fireEvent.click(within(form).getByRole('button', { name: 'Check services' }));
    const list = await within(form).findByRole('list', { name: 'Services' });
    expect([...list.querySelectorAll('li')].map((item) => item.textContent)).toEqual([
      'Message API: answers',
      'Cognito: answers',
    ]);
  });
});

describe('at start', () => {
  it('opens Settings when the app is not configured', async () => {
    installFakeApi({ getConnection: async () => ok({ ...VIEW, target: 'local', configured: false }) });
    render(<App />);
    const dialog = await screen.findByRole('dialog', { name: 'Settings' });
    expect(await within(dialog).findByText('Choose where Cruddur connects before signing in.')).toBeTruthy();
  });

  it('does not open Settings when it is configured', async () => {
    const fake = installFakeApi({ getConnection: async () => ok(VIEW) });
    render(<App />);
    await vi.waitFor(() => expect(fake.api.getConnection).toHaveBeenCalled());
    await new Promise((done) => setTimeout(done, 20));
    expect(screen.queryByRole('dialog', { name: 'Settings' })).toBeNull();
  });
});
