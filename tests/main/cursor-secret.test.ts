import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrCreateCursorSecret } from '../../core/messages/cursor';

const keyFile = () => join(mkdtempSync(join(tmpdir(), 'cursor-key-')), 'nested', 'cursor.key');

describe('the cursor secret file', () => {
  it('is created once, private, and read back the same by the next caller', () => {
    const file = keyFile();
    const first = loadOrCreateCursorSecret(file);
    expect(first).toHaveLength(32);
    expect(loadOrCreateCursorSecret(file).equals(first)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it.each([
    ['empty', ''],
    ['not hex', 'zz'.repeat(32)],
    ['too short', 'ab'.repeat(4)],
  ])('replaces a file that holds no secret (%s) instead of failing', (_kind, content) => {
    const file = keyFile();
    loadOrCreateCursorSecret(file);
    writeFileSync(file, content);
    const secret = loadOrCreateCursorSecret(file);
    expect(secret).toHaveLength(32);
    expect(readFileSync(file, 'utf8')).toBe(secret.toString('hex'));
    expect(loadOrCreateCursorSecret(file).equals(secret)).toBe(true);
  });
});
