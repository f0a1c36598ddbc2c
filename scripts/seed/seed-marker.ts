import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../core/files';

/**
 * `.local-cloud/seed.json`: the seed the local cloud began on its table, and whether it finished.
 * "The table has data" is not "the table is seeded": a start stopped during its seed leaves
 * conversations and messages without their group items. The marker is written before the seed
 * writes anything and marked finished after its last write, so the next start knows to finish it
 * (the seed writes the same keys again; see seedMessages). It names the table by its name and
 * creation time, so a table dropped and made again is not taken for the one that was seeded.
 */
const markerSchema = z.object({
  table: z.string(),
  tableCreatedAt: z.string(),
  sizes: z.object({
    users: z.number(),
    groups: z.number(),
    messages: z.number(),
    seedValue: z.string(),
  }),
  finished: z.boolean(),
});
export type SeedMarker = z.infer<typeof markerSchema>;

export const seedMarkerFile = (localDir: string): string => join(localDir, 'seed.json');

/** The marker, or undefined when there is none (or it is unreadable: then the table decides). */
export async function readSeedMarker(file: string): Promise<SeedMarker | undefined> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (text === undefined) return undefined;
  try {
    return markerSchema.parse(JSON.parse(text));
  } catch {
    return undefined;
  }
}

export async function writeSeedMarker(file: string, marker: SeedMarker): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(marker, null, 2)}\n`);
}

/** The marker of this table: the same name and creation time. */
export const isMarkerOf = (
  marker: SeedMarker | undefined,
  table: { name: string; createdAt: string },
): marker is SeedMarker => marker?.table === table.name && marker.tableCreatedAt === table.createdAt;
