/** Notifier for the local runtime: prints the notice to the console, where the developer running it sees it. */
import type { Notifier } from '../../ports/notifier.ts';

export class ConsoleNotifier implements Notifier {
  readonly name = 'ConsoleNotifier';
  readonly sent: { subject: string; message: string }[] = [];

  constructor(private readonly write: (line: string) => void = (line) => process.stderr.write(line)) {}

  async notify(subject: string, message: string): Promise<void> {
    this.sent.push({ subject, message });
    this.write(`\n[privacy officer notice] ${subject}\n${message}\n`);
  }
}
