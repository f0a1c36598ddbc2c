import { spawnSync, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { AppError } from '../../shared/result';

/** Waits until `check` resolves true, or fails with `what` after `timeoutMs`. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  child?: ChildProcess,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: string | undefined;
  child?.once('exit', (code, signal) => {
    exited = `exited with ${signal ?? `code ${code}`}`;
  });
  while (Date.now() < deadline) {
    if (exited) throw new AppError('Unavailable', `${what} ${exited} while starting`);
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // One last look: a busy event loop may have slept through the whole wait without checking.
  if (!exited && (await check().catch(() => false))) return;
  throw new AppError('Unavailable', `${what} did not become ready within ${Math.round(timeoutMs / 1000)} s`);
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function isPortInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function assertPortFree(port: number, variable: string, example: string): Promise<void> {
  if (await isPortInUse(port)) {
    throw new AppError(
      'Conflict',
      `port ${port} is already in use by another program; stop it, or set ${variable} (e.g. ${variable}=${example}) to use another port`,
    );
  }
}

/**
 * Makes sure a child dies with us even when we leave abruptly (an uncaught error, process.exit):
 * the local cloud must never leave an orphan java or node process behind.
 */
export function killOnExit(child: ChildProcess): void {
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', kill);
  child.once('exit', () => process.removeListener('exit', kill));
}

/** Stops a child: SIGTERM, then SIGKILL if it has not gone within `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** The major version of the `java` on PATH, or undefined when there is none. */
export function javaMajorVersion(): number | undefined {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return undefined;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${probe.stderr}${probe.stdout}`);
  if (!match) return undefined;
  const major = Number(match[1]);
  return major === 1 ? Number(match[2]) : major;
}

export function assertJava17(): void {
  const major = javaMajorVersion();
  if (major === undefined || major < 17) {
    throw new AppError(
      'Unavailable',
      `DynamoDB Local needs Java 17 or newer (${major === undefined ? 'no java found on PATH' : `found Java ${major}`}); install it (Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless)`,
    );
  }
}

/** Keeps the last lines a child printed, to explain why it failed. */
export function tailOutput(child: ChildProcess, lines = 20): () => string {
  const kept: string[] = [];
  const collect = (chunk: Buffer) => {
    kept.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    kept.splice(0, Math.max(0, kept.length - lines));
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return () => kept.join('\n');
}

/** A free TCP port on loopback, as the OS hands it out. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port')),
      );
    });
  });
}
