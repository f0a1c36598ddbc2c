/**
 * A one-line progress bar on stderr, drawn only when stderr is a terminal: piped or captured
 * output (CI, tests, `2> log`) stays free of carriage returns.
 */
export interface ProgressBar {
  update(done: number, total: number): void;
  finish(): void;
}

const WIDTH = 30;
const REDRAW_MS = 100;

export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  if (!stream.isTTY) return { update: () => {}, finish: () => {} };
  const started = performance.now();
  let lastDrawn = 0;
  let drawn = false;
  const draw = (done: number, total: number) => {
    const share = total === 0 ? 1 : done / total;
    const filled = Math.round(share * WIDTH);
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? Math.round(done / seconds) : 0;
    stream.write(
      `\r${label} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${Math.floor(share * 100)}% ` +
        `${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} ${rate.toLocaleString('en-US')}/s\x1b[K`,
    );
    drawn = true;
  };
  return {
    update(done, total) {
      const now = performance.now();
      if (now - lastDrawn < REDRAW_MS && done < total) return;
      lastDrawn = now;
      draw(done, total);
    },
    finish() {
      if (drawn) stream.write('\n');
    },
  };
}
