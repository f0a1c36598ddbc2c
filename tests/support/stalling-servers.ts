import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

/** A TCP server on a free loopback port, and what closing it must also end. */
export interface StallingServer {
  port: number;
  close(): Promise<void>;
}

async function listen(onConnection: (socket: Socket) => void): Promise<StallingServer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined); // a client giving up resets the connection
    onConnection(socket);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((closed) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => closed());
      }),
  };
}

/** Accepts every connection and never writes a byte: a hung service, or a black hole behind a proxy. */
export function silentServer(): Promise<StallingServer> {
  return listen(() => undefined);
}

/**
 * Forwards to `port` on loopback until freeze(); from then on nothing more is passed either way,
 * so an open connection stops answering mid-session (a server that hangs, a network that drops).
 */
export async function freezableProxy(port: number): Promise<StallingServer & { freeze(): void }> {
  let frozen = false;
  const upstreams = new Set<Socket>();
  const proxy = await listen((client) => {
    const upstream = connect(port, '127.0.0.1');
    upstreams.add(upstream);
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => upstreams.delete(upstream));
    client.on('data', (chunk) => frozen || upstream.write(chunk));
    upstream.on('data', (chunk) => frozen || client.write(chunk));
    client.on('close', () => upstream.destroy());
  });
  return {
    port: proxy.port,
    freeze: () => {
      frozen = true;
    },
    async close() {
      for (const upstream of upstreams) upstream.destroy();
      await proxy.close();
    },
  };
}
