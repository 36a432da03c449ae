/**
 * ConnectionPush for AWS, where there is no push channel: the functions run in isolated subnets without internet
 * egress, and `@connections` of a public WebSocket API is not reachable through the `execute-api` interface
 * endpoint. Every reply travels as the route response instead; progress messages (partials) are simply not sent.
 */
import type { ConnectionPush, PushOutcome } from '../../ports/connection-push.ts';

export class UnavailableConnectionPush implements ConnectionPush {
  readonly name = 'UnavailableConnectionPush';

  /** The URL is read on first use: only functions with `connections:url` have it, and only they hand it out. */
  constructor(private readonly readSocketUrl: () => string) {}

  get socketUrl(): string {
    return this.readSocketUrl();
  }

  async push(): Promise<PushOutcome> {
    return 'unavailable';
  }

  async close(): Promise<void> {
    // Nothing to close through: API Gateway closes the socket when the client or the idle timeout does.
  }
}
