/**
 * The local stand-in for an EventBridge bus: matches the same event patterns, delivers asynchronously with
 * retries, and keeps events that could not be delivered in a visible dead-letter list (as SQS DLQs do in AWS).
 */
import type { DomainEvent, EventPattern } from '../../events/event-definition.ts';
import { log } from '../../observability/telemetry.ts';
import type { Clock } from '../../ports/clock.ts';
import type { EventPublisher } from '../../ports/event-publisher.ts';
import type { Ids } from '../../ports/ids.ts';
import { matchesEventPattern } from './event-pattern.ts';

/** The envelope EventBridge hands to a Lambda target. */
export interface EventBridgeEnvelope {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Readonly<Record<string, unknown>>;
}

export interface BusSubscription {
  readonly ruleName: string;
  readonly pattern: EventPattern;
  deliver(event: EventBridgeEnvelope): Promise<unknown>;
}

export interface DeadLetter {
  readonly ruleName: string;
  readonly event: EventBridgeEnvelope;
  readonly attempts: number;
  readonly errorName: string;
  readonly failedAt: string;
}

export interface InProcessEventBusOptions {
  readonly clock: Clock;
  readonly ids: Ids;
  readonly region?: string;
  readonly account?: string;
  /** Delivery attempts per rule target before the event is dead-lettered (EventBridge retries for up to 24 h). */
  readonly maxAttempts?: number;
  /** Base delay between attempts; doubled each time. */
  readonly retryDelayMs?: number;
  /** Events kept for `replay`, like an EventBridge archive; oldest dropped first. */
  readonly archiveSize?: number;
}

export class InProcessEventBus implements EventPublisher {
  readonly name = 'InProcessEventBus';
  private readonly subscriptions: BusSubscription[] = [];
  private readonly dead: DeadLetter[] = [];
  private readonly archived: EventBridgeEnvelope[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;

  constructor(private readonly options: InProcessEventBusOptions) {
    this.maxAttempts = options.maxAttempts ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 200;
  }

  subscribe(subscription: BusSubscription): void {
    this.subscriptions.push(subscription);
  }

  async publish(events: readonly DomainEvent[]): Promise<void> {
    for (const event of events) {
      const envelope: EventBridgeEnvelope = {
        version: '0',
        id: this.options.ids.next(),
        'detail-type': event.detailType,
        source: event.source,
        account: this.options.account ?? '000000000000',
        time: this.options.clock.now().toISOString(),
        region: this.options.region ?? 'us-east-1',
        resources: [],
        // A deep copy, as the real bus serialises the detail: a consumer never shares objects with the producer.
        detail: JSON.parse(JSON.stringify(event.detail)) as Record<string, unknown>,
      };
      this.archive(envelope);
      this.route(envelope);
    }
  }

  /** Re-delivers archived events that match `pattern`, like starting an EventBridge replay. */
  replay(pattern: EventPattern): number {
    const selected = this.archived.filter((event) => matchesEventPattern(pattern, event));
    for (const event of selected) this.route(event);
    return selected.length;
  }

  /** Resolves when every delivery started so far (including retries) has finished. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  deadLetters(): readonly DeadLetter[] {
    return [...this.dead];
  }

  /** Removes and returns dead letters, for redrive. */
  drainDeadLetters(): DeadLetter[] {
    return this.dead.splice(0, this.dead.length);
  }

  private archive(event: EventBridgeEnvelope): void {
    this.archived.push(event);
    const limit = this.options.archiveSize ?? 1000;
    if (this.archived.length > limit) this.archived.splice(0, this.archived.length - limit);
  }

  private route(event: EventBridgeEnvelope): void {
    for (const subscription of this.subscriptions) {
      if (!matchesEventPattern(subscription.pattern, event)) continue;
      const delivery = this.deliver(subscription, event).finally(() => this.inFlight.delete(delivery));
      this.inFlight.add(delivery);
    }
  }

  private async deliver(subscription: BusSubscription, event: EventBridgeEnvelope): Promise<void> {
    // EventBridge invokes targets asynchronously: never in the publisher's call stack.
    await new Promise((resolve) => setImmediate(resolve));
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      try {
        await subscription.deliver(event);
        return;
      } catch (error) {
        lastError = error;
        if (attempt < this.maxAttempts) {
          await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs * 2 ** (attempt - 1)));
        }
      }
    }
    const errorName = lastError instanceof Error ? lastError.name : typeof lastError;
    this.dead.push({
      ruleName: subscription.ruleName,
      event,
      attempts: this.maxAttempts,
      errorName,
      failedAt: this.options.clock.now().toISOString(),
    });
    log.warn('event dead-lettered', { ruleName: subscription.ruleName, eventId: event.id, errorName });
  }
}
