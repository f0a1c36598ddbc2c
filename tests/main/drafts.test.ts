import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DraftStore, MAX_DRAFTS } from '../../electron/main/drafts';
import { captureLog } from '../support/log-capture';
import { TestCipher } from '../support/test-cipher';

let dir: string;
let cipher: TestCipher;
const me = randomUUID();
const other = randomUUID();
const group = randomUUID();

beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'cruddur-drafts-')), 'drafts');
  cipher = new TestCipher();
});
afterEach(async () => {
  await rm(join(dir, '..'), { recursive: true, force: true });
});

const files = async () => readdir(dir).catch(() => [] as string[]);
const onDisk = async () =>
  Buffer.concat(await Promise.all((await files()).map((name) => readFile(join(dir, name)))));

describe('drafts', () => {
  it('answers what was saved, and "" for a conversation without one', async () => {
    const drafts = new DraftStore(dir, cipher);
    await drafts.save(me, group, 'half a thought');
    expect(await drafts.get(me, group)).toBe('half a thought');
    expect(await drafts.get(me, randomUUID())).toBe('');
  });

  it('survives a restart: a new store on the same folder reads them back', async () => {
    await new DraftStore(dir, cipher).save(me, group, 'see you at 5');
    expect(await new DraftStore(dir, cipher).get(me, group)).toBe('see you at 5');
  });

  it('keeps no text in the clear on disk, and names no person', async () => {
    const drafts = new DraftStore(dir, cipher);
    await drafts.save(me, group, 'my bank PIN is 4821');
    const bytes = await onDisk();
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes.toString('utf8')).not.toContain('4821');
    expect(bytes.toString('latin1')).not.toContain('PIN');
    expect((await files()).join()).not.toContain(me);
  });

  it('forgets a draft saved as "", and deletes the file when none is left', async () => {
    const drafts = new DraftStore(dir, cipher);
    await drafts.save(me, group, 'gone soon');
    await drafts.save(me, group, '');
    expect(await drafts.get(me, group)).toBe('');
    expect(await files()).toEqual([]);
  });

  it('lets two saves one after the other land in order, never interleaved', async () => {
    const drafts = new DraftStore(dir, cipher);
    const groups = Array.from({ length: 20 }, () => randomUUID());
    await Promise.all(groups.map((g, i) => drafts.save(me, g, `draft ${i}`)));
    const reread = new DraftStore(dir, cipher);
    for (const [i, g] of groups.entries()) expect(await reread.get(me, g)).toBe(`draft ${i}`);
  });

  it("keeps each person's drafts apart", async () => {
    const drafts = new DraftStore(dir, cipher);
    await drafts.save(me, group, 'mine');
    await drafts.save(other, group, 'theirs');
    expect(await drafts.get(me, group)).toBe('mine');
    expect(await drafts.get(other, group)).toBe('theirs');
    expect(await files()).toHaveLength(2);
  });

  it("wipes a person's drafts and file, and only theirs", async () => {
    const drafts = new DraftStore(dir, cipher);
    await drafts.save(me, group, 'mine');
    await drafts.save(other, group, 'theirs');
    await drafts.get(me, group);
    await drafts.wipe(me);
    expect(await drafts.get(me, group)).toBe('');
    expect(await new DraftStore(dir, cipher).get(me, group)).toBe('');
    expect(await new DraftStore(dir, cipher).get(other, group)).toBe('theirs');
    expect(await files()).toHaveLength(1);
  });

  it('discards a corrupt file or one of another key, with one log line', async () => {
    const log = captureLog();
    await new DraftStore(dir, cipher).save(me, group, 'from another machine');
    expect(await new DraftStore(dir, new TestCipher()).get(me, group)).toBe('');
    expect(await files()).toEqual([]);
    await new DraftStore(dir, cipher).save(me, group, 'soon corrupt');
    const [name] = await files();
    await writeFile(join(dir, name!), 'not encrypted at all');
    expect(await new DraftStore(dir, cipher).get(me, group)).toBe('');
    const warnings = log.entries.filter((entry) => entry.level === 'warn');
    expect(warnings).toHaveLength(2);
    expect(log.text()).not.toContain('from another machine');
  });

  it('keeps drafts in memory only when there is no OS keyring', async () => {
    captureLog();
    cipher.backend = 'basic_text';
    const drafts = new DraftStore(dir, cipher);
    await drafts.save(me, group, 'not on disk');
    expect(await drafts.get(me, group)).toBe('not on disk');
    expect(await files()).toEqual([]);
  });

  it(`keeps at most ${MAX_DRAFTS}, forgetting the least recently written`, async () => {
    const drafts = DraftStore.inMemory();
    const first = randomUUID();
    await drafts.save(me, first, 'oldest');
    for (let i = 0; i < MAX_DRAFTS; i++) await drafts.save(me, randomUUID(), 'x');
    expect(await drafts.get(me, first)).toBe('');
  });
});
