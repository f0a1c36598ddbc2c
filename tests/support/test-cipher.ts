import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretStore } from '../../core/auth/session-store';

/**
 * A real, reversible stand-in for Electron's safeStorage: AES-256-GCM under a key of its own, so
 * a file written with one key does not decrypt with another (as on another machine), and a
 * tampered file fails its authentication tag.
 */
export class TestCipher implements SecretStore {
  available = true;
  /** What Electron's safeStorage reports on Linux; `basic_text` is its hard-coded key. */
  backend = 'gnome_libsecret';

  constructor(private readonly key: Buffer = randomBytes(32)) {}

  isEncryptionAvailable(): boolean {
    return this.available;
  }

  getSelectedStorageBackend(): string {
    return this.backend;
  }

  encryptString(plainText: string): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  decryptString(encrypted: Buffer): string {
    const decipher = createDecipheriv('aes-256-gcm', this.key, encrypted.subarray(0, 12));
    decipher.setAuthTag(encrypted.subarray(12, 28));
    return Buffer.concat([decipher.update(encrypted.subarray(28)), decipher.final()]).toString('utf8');
  }
}
