import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A slowed DynamoDB for a client the test cannot reach into (the backend builds its own): an
 * HTTP proxy in front of DynamoDB Local. Every request really reaches DynamoDB Local and is
 * answered there; while the proxy is armed, the answers to the requests it receives are held
 * back until release(), as a slow network or an overloaded table would.
 */
export interface SlowDynamoDb {
  endpoint: string;
  /** Holds the answers to the requests received from now on. */
  arm(): void;
  /** Requests received from now on are answered at once (those held stay held). */
  disarm(): void;
  /** How many answers are held back now. */
  held(): number;
  /** Hands every held answer to its client. */
  release(): void;
  close(): Promise<void>;
}

const readBody = async (stream: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

export async function slowDynamoDb(target: string): Promise<SlowDynamoDb> {
  const upstream = new URL(target);
  let armed = false;
  let waiting: (() => void)[] = [];
  const server = createServer((incoming, outgoing) => {
    const hold = armed;
    void (async () => {
      const body = await readBody(incoming);
      const answer = await new Promise<IncomingMessage>((resolve, reject) => {
        const forward = request(
          {
            host: upstream.hostname,
            port: upstream.port,
            method: incoming.method,
            path: incoming.url,
            headers: incoming.headers,
          },
          resolve,
        );
        forward.on('error', reject);
        forward.end(body);
      });
      const answerBody = await readBody(answer);
      if (hold) await new Promise<void>((resolve) => waiting.push(resolve));
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      outgoing.end(answerBody);
    })().catch(() => outgoing.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const proxy: SlowDynamoDb = {
    endpoint: `http://127.0.0.1:${port}`,
    arm: () => {
      armed = true;
    },
    disarm: () => {
      armed = false;
    },
    held: () => waiting.length,
    release() {
      const held = waiting;
      waiting = [];
      for (const resume of held) resume();
    },
    async close() {
      proxy.release();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
