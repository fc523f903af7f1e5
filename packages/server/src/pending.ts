// Connections not yet admitted, counted per remote address: until a request or an upgrade on a
// connection has passed the token check, it counts against its address, and an address past
// `maxPendingPerAddress` has its new connections refused. So one process that opens connections
// and sends nothing (or only bad tokens) cannot hold every slot of `maxConnections`; apps whose
// calls and streams are admitted are not counted, however many they open.

import type http from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/** What releases a pending connection from its address's count, by socket. */
const releases = new WeakMap<Duplex, () => void>();

/**
 * Marks the connection of an admitted request or upgrade as no longer pending: it stops counting
 * against its address. Does nothing for a connection already admitted, or one not counted.
 */
export function admitConnection(socket: Duplex): void {
  const release = releases.get(socket);
  if (release === undefined) return;
  releases.delete(socket);
  release();
}

/**
 * Counts the connections `server` accepts per remote address until they are admitted
 * (`admitConnection`) or closed, and calls `refuse` for one over `limit` (which it then destroys).
 */
export function limitPendingPerAddress(server: http.Server, limit: number, refuse: (remoteAddress: string) => void): void {
  const pending = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const count = pending.get(address) ?? 0;
    if (count >= limit) {
      refuse(address);
      socket.destroy();
      return;
    }
    pending.set(address, count + 1);
    const release = () => {
      const left = (pending.get(address) ?? 1) - 1;
      if (left === 0) pending.delete(address);
      else pending.set(address, left);
    };
    releases.set(socket, release);
    socket.once('close', () => admitConnection(socket));
  });
}
