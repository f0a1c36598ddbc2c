import { createHash } from 'node:crypto';

/**
 * Two people share at most one conversation, so its uuid is derived from the pair (in either
 * order): Pattern D finds an existing conversation without a scan, and the seed uses the same ids.
 */
export function conversationUuidFor(userUuidA: string, userUuidB: string): string {
  const [first, second] = [userUuidA.toLowerCase(), userUuidB.toLowerCase()].sort();
  const hex = createHash('sha256').update(`cruddur-conversation:${first}:${second}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
