import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AppError } from '../../shared/result';
import { createFileOnceSync, replaceFileSync } from '../files';

/** A table key as a page ends: where the next page starts. */
export interface PageKey {
  pk: string;
  sk: string;
}

const INVALID = 'the cursor is not valid here: it was altered, or it belongs to another list or person';
const MAX_CURSOR_LENGTH = 2048;

/**
 * Paging cursors are opaque to callers: base64url(JSON of the page's last key) plus an HMAC over
 * the key and the list it belongs to (caller and conversation). A cursor that was altered or
 * taken from someone else's list fails the HMAC; the key is checked against the list as well, so
 * even with a leaked secret a cursor can only move within a list the caller may read.
 */
export class CursorCodec {
  private readonly secret: Buffer;

  /** Without a secret, cursors are valid for this process only. */
  constructor(secret: Uint8Array = randomBytes(32)) {
    if (secret.length < 16) throw new Error('a cursor secret needs at least 16 bytes');
    this.secret = Buffer.from(secret);
  }

  encode(list: string, key: PageKey): string {
    const payload = Buffer.from(JSON.stringify({ pk: key.pk, sk: key.sk })).toString('base64url');
    return `${payload}.${this.sign(list, payload).toString('base64url')}`;
  }

  /** The key a cursor carries, when it was made for `list` and its key lies in `pk` under `skPrefix`. */
  decode(list: string, cursor: string, expected: { pk: string; skPrefix: string }): PageKey {
    const [payload, signature, extra] = cursor.length <= MAX_CURSOR_LENGTH ? cursor.split('.') : [];
    if (!payload || !signature || extra !== undefined) throw new AppError('Invalid', INVALID);
    const given = Buffer.from(signature, 'base64url');
    const wanted = this.sign(list, payload);
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
      throw new AppError('Invalid', INVALID);
    }
    const key = parseKey(Buffer.from(payload, 'base64url').toString('utf8'));
    if (!key || key.pk !== expected.pk || !key.sk.startsWith(expected.skPrefix)) {
      throw new AppError('Invalid', INVALID);
    }
    return key;
  }

  private sign(list: string, payload: string): Buffer {
    return createHmac('sha256', this.secret).update(list).update('\n').update(payload).digest();
  }
}

function parseKey(json: string): PageKey | undefined {
  try {
    const value: unknown = JSON.parse(json);
    if (typeof value !== 'object' || value === null) return undefined;
    const { pk, sk } = value as Record<string, unknown>;
    return typeof pk === 'string' && typeof sk === 'string' ? { pk, sk } : undefined;
  } catch {
    return undefined;
  }
}

const SECRET_BYTES = 32;
const newSecret = (): string => randomBytes(SECRET_BYTES).toString('hex');
const SECRET_TEXT = new RegExp(`^[0-9a-f]{${SECRET_BYTES * 2}}$`);

/**
 * A cursor secret kept in a file (created on first use, readable by its owner only), so cursors
 * printed by one script run are accepted by the next, e.g. `--cursor` across invocations. A file
 * that holds no secret (empty after a crash, edited by hand) is replaced: the only cost is that
 * cursors handed out before stop working, which their callers recover from by reading again.
 */
export function loadOrCreateCursorSecret(file: string): Buffer {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    text = createFileOnceSync(file, newSecret()).trim();
  }
  if (!SECRET_TEXT.test(text)) {
    text = newSecret();
    replaceFileSync(file, text);
  }
  return Buffer.from(text, 'hex');
}
