import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { createApiHandler, type ApiGatewayV2Event, type ApiHandler } from '../../core/api/handler';
import { LocalJwtAuthorizer } from '../../core/api/jwt-authorizer';
import { API_ROUTE_KEYS, ROUTE_THROTTLE, type ApiRouteKey, type RouteLimits } from '../../core/api/wire';
import { CognitoAuth } from '../../core/auth/cognito-auth';
import { DirectoryLinks } from '../../core/auth/directory-link';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createCognitoClient, createDynamoClient } from '../../core/clients';
import type { Config } from '../../core/config';
import { createLogger, type Logger } from '../../core/log';
import { MessageService } from '../../core/messages';
import { UserDirectory } from '../../core/users/directory';
import { openDatabase } from '../admin/postgres';

/** API Gateway's HTTP API quotas: the payload, and the request line with the headers. */
export const GATEWAY_PAYLOAD_BYTES = 10 * 1024 * 1024;
export const GATEWAY_HEADER_BYTES = 10_240;

export interface LocalApiOptions {
  config: Config;
  /** 0: a free port. */
  port: number;
  /** Signs the paging cursors (the stack keeps its own in Secrets Manager). */
  cursorSecret: Uint8Array;
  /** Every route's token bucket; the stack's (ROUTE_THROTTLE) unless given. */
  throttle?: RouteLimits;
  /** One access-log line per request: request id, route key, status, milliseconds. */
  log?: (line: string) => void;
  /** The handler's own log; by default its warnings and errors (a 5xx's cause) reach core/log. */
  handlerLog?: Logger;
  /** The Lambda's DynamoDB client, when the caller counts its requests (the bench); left open on stop. */
  db?: DynamoDBDocumentClient;
}

export interface LocalApi {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** API Gateway's own answers, before (or instead of) the Lambda's. */
const GATEWAY_ANSWERS = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  413: 'Request Entity Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
} as const;
type GatewayStatus = keyof typeof GATEWAY_ANSWERS;

const gatewayBody = (status: GatewayStatus) => JSON.stringify({ message: GATEWAY_ANSWERS[status] });

/**
 * The message API on this machine, as API Gateway serves it on AWS: the route table of
 * core/api/wire.ts, the JWT authorizer (LocalJwtAuthorizer), per-route throttling and the
 * payload caps in front of the very Lambda handler (core/api/handler.ts), which it invokes with
 * an API Gateway v2 event. On 127.0.0.1 only.
 */
export async function startLocalApi(options: LocalApiOptions): Promise<LocalApi> {
  const { config } = options;
  const pool = openDatabase(config);
  const db = options.db ?? createDynamoClient(config);
  const cognitoClient = createCognitoClient(config);
  const directory = new UserDirectory(pool);
  const handler = createApiHandler({
    messages: new MessageService({
      db,
      tableName: config.tableName,
      directory,
      cursorSecret: options.cursorSecret,
    }),
    directory,
    links: new DirectoryLinks(pool),
    // GetUser, the only call made of it, names no app client.
    cognito: new CognitoAuth(cognitoClient, config.userPoolClientId ?? ''),
    log: options.handlerLog ?? problemsOnly(createLogger('api')),
  });
  const gateway = new Gateway(handler, new LocalJwtAuthorizer(config), options);
  const server = createServer({ maxHeaderSize: GATEWAY_HEADER_BYTES }, (request, response) => {
    void gateway.serve(request, response);
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) return;
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 413 : 400;
    const body = gatewayBody(status);
    socket.end(
      `HTTP/1.1 ${status} ${GATEWAY_ANSWERS[status]}\r\ncontent-type: application/json\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
  await new Promise<void>((listening, failed) => {
    server.once('error', failed);
    server.listen(options.port, '127.0.0.1', () => listening());
  });
  const { port } = server.address() as AddressInfo;
  let stopping: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stop: () =>
      (stopping ??= (async () => {
        const closed = new Promise<void>((done) => server.close(() => done()));
        server.closeAllConnections();
        await closed;
        if (!options.db) db.destroy();
        cognitoClient.destroy();
        await pool.end();
      })()),
  };
}

/** Locally the access log says what each request did; the handler's own lines add its problems. */
function problemsOnly(log: Logger): Logger {
  return { info: () => {}, warn: log.warn, error: log.error };
}

interface CompiledRoute {
  key: ApiRouteKey;
  method: string;
  pattern: RegExp;
  names: string[];
}

const ROUTES: CompiledRoute[] = API_ROUTE_KEYS.map((key) => {
  const [method, path] = key.split(' ') as [string, string];
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
  const source = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '([^/]+)');
  return { key, method, pattern: new RegExp(`^${source}$`), names };
});

const decode = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/** What API Gateway treats as text; any other body reaches the Lambda base64-encoded. */
const TEXT_TYPE = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)\b)|\+(json|xml)\b/i;

class Gateway {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly throttle: RouteLimits | undefined;
  private readonly log: (line: string) => void;

  constructor(
    private readonly handler: ApiHandler,
    private readonly authorizer: LocalJwtAuthorizer,
    options: LocalApiOptions,
  ) {
    this.throttle = options.throttle;
    this.log = options.log ?? (() => {});
  }

  async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = performance.now();
    const requestId = randomBytes(10).toString('base64url');
    let routeKey: ApiRouteKey | '-' = '-';
    const finish = (status: number, headers: Record<string, string>, body: Buffer | string) => {
      response.writeHead(status, { ...headers, 'apigw-requestid': requestId });
      response.end(body);
      this.log(`${requestId} "${routeKey}" ${status} ${Math.round(performance.now() - started)}ms`);
    };
    const refuse = (status: GatewayStatus) =>
      finish(status, { 'content-type': 'application/json' }, gatewayBody(status));
    try {
      // The whole body is read (and what is over the cap dropped) before any answer, so a
      // client still sending sees the answer rather than a reset connection.
      const body = await readBody(request);
      const [rawPath = '', rawQueryString = ''] = splitOnce(request.url ?? '', '?');
      const method = request.method ?? 'GET';
      const match = this.match(method, rawPath);
      if (!match) return refuse(404);
      routeKey = match.route.key;
      if (body === 'too large') return refuse(413);
      if (!this.take(match.route.key)) return refuse(429);
      const auth = await this.authorizer.authorize(request.headers.authorization);
      if (!auth.ok) return refuse(auth.status);
      const event = buildEvent(request, { requestId, routeKey, rawPath, rawQueryString, body, match, auth });
      const result = await this.handler(event);
      const payload = result.body ?? '';
      finish(
        result.statusCode,
        { 'content-type': 'application/json', ...result.headers },
        result.isBase64Encoded ? Buffer.from(payload, 'base64') : payload,
      );
    } catch {
      // A Lambda that throws (or a request that broke off) is API Gateway's 500.
      if (!response.headersSent) refuse(500);
    }
  }

  private match(method: string, rawPath: string) {
    for (const route of ROUTES) {
      if (route.method !== method) continue;
      const found = route.pattern.exec(rawPath);
      if (found) {
        const parameters = Object.fromEntries(route.names.map((name, i) => [name, decode(found[i + 1]!)]));
        return { route, parameters };
      }
    }
    return undefined;
  }

  /** A token bucket per route: `burstLimit` at once, refilled at `rateLimit` a second. */
  private take(routeKey: ApiRouteKey): boolean {
    const now = performance.now();
    const { rateLimit, burstLimit } =
      this.throttle ?? ROUTE_THROTTLE.routes[routeKey] ?? ROUTE_THROTTLE.default;
    const bucket = this.buckets.get(routeKey) ?? { tokens: burstLimit, at: now };
    bucket.tokens = Math.min(burstLimit, bucket.tokens + ((now - bucket.at) / 1000) * rateLimit);
    bucket.at = now;
    this.buckets.set(routeKey, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}

async function readBody(request: IncomingMessage): Promise<Buffer | 'too large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size <= GATEWAY_PAYLOAD_BYTES) chunks.push(chunk as Buffer);
  }
  return size > GATEWAY_PAYLOAD_BYTES ? 'too large' : Buffer.concat(chunks);
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

interface EventParts {
  requestId: string;
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  body: Buffer;
  match: { parameters: Record<string, string> };
  auth: { claims: Record<string, string>; scopes: string[] | null };
}

/** The HTTP API's payload format 2.0, as API Gateway builds it for a Lambda integration. */
function buildEvent(request: IncomingMessage, parts: EventParts): ApiGatewayV2Event {
  const headers = new Map<string, string>();
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i]!.toLowerCase();
    const value = request.rawHeaders[i + 1]!;
    headers.set(name, headers.has(name) ? `${headers.get(name)},${value}` : value);
  }
  const query = new Map<string, string>();
  for (const pair of parts.rawQueryString.split('&').filter(Boolean)) {
    const [name, value] = splitOnce(pair, '=').map((text) => decode(text.replace(/\+/g, ' '))) as [
      string,
      string,
    ];
    query.set(name, query.has(name) ? `${query.get(name)},${value}` : value);
  }
  const text = TEXT_TYPE.test(headers.get('content-type') ?? '');
  const now = new Date();
  const method = request.method ?? 'GET';
  const host = headers.get('host') ?? '127.0.0.1';
  return {
    version: '2.0',
    routeKey: parts.routeKey,
    rawPath: parts.rawPath,
    rawQueryString: parts.rawQueryString,
    // Object.fromEntries makes own properties, so a "__proto__" name stays a plain key.
    headers: Object.fromEntries(headers),
    ...(query.size > 0 ? { queryStringParameters: Object.fromEntries(query) } : {}),
    ...(Object.keys(parts.match.parameters).length > 0 ? { pathParameters: parts.match.parameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: host,
      domainPrefix: host.split('.')[0] ?? host,
      http: {
        method,
        path: parts.rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers.get('user-agent') ?? '',
      },
      requestId: parts.requestId,
      routeKey: parts.routeKey,
      stage: '$default',
      time: gatewayTime(now),
      timeEpoch: now.getTime(),
      authorizer: { jwt: { claims: parts.auth.claims, scopes: parts.auth.scopes } },
    },
    ...(parts.body.length > 0
      ? { body: parts.body.toString(text ? 'utf8' : 'base64'), isBase64Encoded: !text }
      : { isBase64Encoded: false }),
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** '12/Mar/2020:19:03:58 +0000', API Gateway's requestContext.time. */
function gatewayTime(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${two(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`
  );
}
