/** The local stand-in for EventBridge Scheduler: fires the topology's schedules on their expressions (UTC). */
import { log } from '../../shared/observability/telemetry.ts';
import type { Clock } from '../../shared/ports/clock.ts';
import { parseScheduleExpression, type Schedule } from './schedule-expression.ts';

interface Entry {
  readonly expression: Schedule;
  readonly run: () => Promise<unknown>;
  timer?: NodeJS.Timeout;
}

export class LocalScheduler {
  private readonly entries = new Map<string, Entry>();
  private running = false;

  constructor(private readonly clock: Clock) {}

  add(name: string, expression: string, run: () => Promise<unknown>): void {
    if (this.entries.has(name)) throw new Error(`Schedule ${name} is declared twice`);
    this.entries.set(name, { expression: parseScheduleExpression(expression), run });
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  start(): void {
    this.running = true;
    for (const name of this.entries.keys()) this.arm(name);
  }

  stop(): void {
    this.running = false;
    for (const entry of this.entries.values()) clearTimeout(entry.timer);
  }

  /** Runs a schedule's target now, as `POST /__local/schedules/{name}` does; false when no such schedule. */
  async runNow(name: string): Promise<boolean> {
    const entry = this.entries.get(name);
    if (!entry) return false;
    await entry.run();
    return true;
  }

  private arm(name: string): void {
    const entry = this.entries.get(name);
    if (!entry || !this.running) return;
    const now = this.clock.now();
    const delay = Math.min(entry.expression.next(now).getTime() - now.getTime(), 2 ** 31 - 1);
    entry.timer = setTimeout(() => {
      entry.run().catch((error: unknown) => log.error('schedule target failed', error, { schedule: name }));
      this.arm(name);
    }, delay);
    entry.timer.unref();
  }
}
