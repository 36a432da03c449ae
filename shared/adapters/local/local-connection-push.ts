/** ConnectionPush for the local runtime: the local WebSocket gateway registers each open socket here by its id. */
import type { ConnectionPush, PushOutcome } from '../../ports/connection-push.ts';

/** What the push needs of a socket (the `ws` WebSocket satisfies it). */
export interface LocalSocket {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

const OPEN = 1;

export class LocalConnectionPush implements ConnectionPush {
  readonly name = 'LocalConnectionPush';
  private readonly sockets = new Map<string, LocalSocket>();
  private url = 'ws://127.0.0.1:3001';

  get socketUrl(): string {
    return this.url;
  }

  /** Set by the local WebSocket gateway once it listens (tests use an ephemeral port). */
  listeningAt(url: string): void {
    this.url = url;
  }

  attach(connectionId: string, socket: LocalSocket): void {
    this.sockets.set(connectionId, socket);
  }

  detach(connectionId: string): void {
    this.sockets.delete(connectionId);
  }

  async push(connectionId: string, message: Readonly<Record<string, unknown>>): Promise<PushOutcome> {
    const socket = this.sockets.get(connectionId);
    if (!socket || socket.readyState !== OPEN) return 'gone';
    socket.send(JSON.stringify(message));
    return 'delivered';
  }

  async close(connectionId: string): Promise<void> {
    this.sockets.get(connectionId)?.close(1008, 'policy');
  }
}
