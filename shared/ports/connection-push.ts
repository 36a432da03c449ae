/**
 * Port: pushes a progress message to one open WebSocket connection, outside the reply to the client's message. Only
 * the local runtime has a push channel: in AWS the functions have no route to `@connections`, so pushing is unavailable.
 */

/**
 * `gone`: the client has disconnected; `unavailable`: there is no push channel in this runtime. Either way the caller
 * carries on: nothing that must reach the client travels by push (replies are route responses, results are stored).
 */
export type PushOutcome = 'delivered' | 'gone' | 'unavailable';

export interface ConnectionPush {
  readonly name: string;
  /** The `wss://` (or local `ws://`) URL clients open to stream an encounter. */
  readonly socketUrl: string;
  /** Sends one JSON message; rejects only for failures other than a closed connection. */
  push(connectionId: string, message: Readonly<Record<string, unknown>>): Promise<PushOutcome>;
  /** Closes the connection from the server side (after a protocol violation); a closed one is left as it is. */
  close(connectionId: string): Promise<void>;
}
