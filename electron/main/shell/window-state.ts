import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from '../../../core/files';

/**
 * The window's size and position, remembered across launches. What comes back from disk is
 * validated: a corrupt file, a monitor that was unplugged or an absurd size gives the defaults
 * (or a window moved back onto a screen), never a window nobody can see.
 */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState extends Partial<Pick<Rect, 'x' | 'y'>> {
  width: number;
  height: number;
  maximized: boolean;
}

export const MIN_SIZE = { width: 720, height: 480 } as const;
export const DEFAULT_STATE: WindowState = { width: 1100, height: 720, maximized: false };

const stateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(MIN_SIZE.width).max(10_000),
  height: z.number().int().min(MIN_SIZE.height).max(10_000),
  maximized: z.boolean(),
});

/** Enough of the window must lie on some display's work area to grab its title bar. */
const MIN_VISIBLE = 100;

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

export function restoreWindowState(saved: unknown, workAreas: Rect[]): WindowState {
  const parsed = stateSchema.safeParse(saved);
  if (!parsed.success) return DEFAULT_STATE;
  const state = parsed.data;
  const primary = workAreas[0];
  // Never larger than the biggest screen.
  const width = Math.min(state.width, Math.max(...workAreas.map((a) => a.width), MIN_SIZE.width));
  const height = Math.min(state.height, Math.max(...workAreas.map((a) => a.height), MIN_SIZE.height));
  if (state.x === undefined || state.y === undefined) return { width, height, maximized: state.maximized };
  const bounds = { x: state.x, y: state.y, width, height };
  const visible = workAreas.some((area) => {
    const o = overlap(bounds, area);
    return o.width >= MIN_VISIBLE && o.height >= MIN_VISIBLE && bounds.y >= area.y;
  });
  if (visible || !primary) return { ...bounds, maximized: state.maximized };
  // Off every screen (a monitor went away): keep the size, let the OS centre it on the primary one.
  return {
    width: Math.min(width, primary.width),
    height: Math.min(height, primary.height),
    maximized: state.maximized,
  };
}

export async function readWindowState(file: string, workAreas: Rect[]): Promise<WindowState> {
  try {
    return restoreWindowState(JSON.parse(await readFile(file, 'utf8')), workAreas);
  } catch {
    return restoreWindowState(undefined, workAreas);
  }
}

export async function writeWindowState(file: string, state: WindowState): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(state));
}
