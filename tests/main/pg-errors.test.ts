import { describe, expect, it } from 'vitest';
import { toAppError } from '../../core/errors';

/** pg's failures carry SQLSTATE codes or only a message; the scripts' exit codes depend on them. */
describe('toAppError for PostgreSQL failures', () => {
  it.each([
    ['a connection lost while connecting', new Error('Connection terminated unexpectedly')],
    ['a pool connection timeout', new Error('Connection terminated due to connection timeout')],
    ['a client connection timeout', new Error('timeout expired')],
    [
      'a server starting up',
      Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
    ],
    ['a connection exception', Object.assign(new Error('connection failure'), { code: '08006' })],
  ])('maps %s to Unavailable', (_what, error) => {
    expect(toAppError(error, 'PostgreSQL at db:5432/app')).toMatchObject({
      code: 'Unavailable',
      message: expect.stringMatching(/^PostgreSQL at db:5432\/app cannot be reached/),
    });
  });

  it('maps refused credentials (SQLSTATE class 28) to Forbidden', () => {
    const error = Object.assign(new Error('password authentication failed for user "app"'), {
      code: '28P01',
    });
    expect(toAppError(error)).toMatchObject({ code: 'Forbidden', message: error.message });
  });

  it('leaves other SQL errors Internal', () => {
    const error = Object.assign(new Error('division by zero'), { code: '22012' });
    expect(toAppError(error).code).toBe('Internal');
  });
});
