/** Port: pushes a message to one open WebSocket connection (API Gateway @connections in AWS, the local socket locally). */

/** `gone`: the client has disconnected; the caller carries on (results are stored and can be read back). */
export type PushOutcome = 'delivered' | 'gone';

export interface ConnectionPush {
  readonly name: string;
  /** The `wss://` (or local `ws://`) URL clients open to stream an encounter. */
  readonly socketUrl: string;
  /** Sends one JSON message; rejects only for failures other than a closed connection. */
  push(connectionId: string, message: Readonly<Record<string, unknown>>): Promise<PushOutcome>;
  /** Closes the connection from the server side (after a protocol violation); a closed one is left as it is. */
  close(connectionId: string): Promise<void>;
}
