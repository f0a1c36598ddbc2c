import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { APP_HOST } from './policy';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** Where an app:// URL leads: a file of the built renderer, or the status to answer instead. */
export type AppFile = { file: string } | { status: 400 | 404 };

/**
 * Maps an app://cruddur/… URL to a file inside the built renderer folder: 404 when the URL names
 * another host or tries to climb out of the folder, 400 when its percent-escapes are broken or
 * decode to a NUL (no file name holds one).
 */
export function resolveAppFile(rendererDir: string, url: string): AppFile {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { status: 400 };
  }
  if (parsed.host !== APP_HOST) return { status: 404 };
  const pathname = decodePath(parsed.pathname);
  if (pathname === undefined) return { status: 400 };
  const relative = pathname === '/' || pathname === '' ? 'index.html' : pathname.replace(/^\/+/, '');
  const root = resolve(rendererDir);
  const file = resolve(root, relative);
  return file.startsWith(root + sep) ? { file } : { status: 404 };
}

function decodePath(pathname: string): string | undefined {
  try {
    const decoded = decodeURIComponent(pathname);
    return decoded.includes('\0') ? undefined : decoded;
  } catch {
    return undefined; // URIError: a lone % or an escape that is not UTF-8
  }
}

const STATUS_TEXT = { 400: 'Bad request', 404: 'Not found' } as const;

/** Serves the built renderer for the app:// scheme, every response carrying the CSP header. */
export async function serveAppRequest(rendererDir: string, url: string, csp: string): Promise<Response> {
  const found = resolveAppFile(rendererDir, url);
  const headers = { 'Content-Security-Policy': csp, 'X-Content-Type-Options': 'nosniff' };
  if ('status' in found) return new Response(STATUS_TEXT[found.status], { status: found.status, headers });
  try {
    const body = await readFile(found.file);
    return new Response(body, {
      status: 200,
      headers: {
        ...headers,
        'Content-Type': CONTENT_TYPES[extname(found.file)] ?? 'application/octet-stream',
      },
    });
  } catch {
    return new Response(STATUS_TEXT[404], { status: 404, headers });
  }
}
