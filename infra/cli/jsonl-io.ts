/** JSON Lines in and out for the CLI: `--in FILE` or stdin, `--out FILE` or stdout, with a progress bar on stderr. */
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';

/** Files above this size get a progress bar. */
export const PROGRESS_THRESHOLD_BYTES = 1024 * 1024;

export interface JsonlLine {
  readonly lineNumber: number;
  readonly raw: string;
}

export class ProgressBar {
  private lastDrawn = -1;
  private readonly started = Date.now();

  constructor(
    private readonly totalBytes: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  update(doneBytes: number): void {
    const percent = Math.min(100, Math.floor((doneBytes / this.totalBytes) * 100));
    const step = this.stream.isTTY ? percent : Math.floor(percent / 10) * 10;
    if (step === this.lastDrawn) return;
    this.lastDrawn = step;
    const seconds = Math.max(0.001, (Date.now() - this.started) / 1000);
    const rate = (doneBytes / 1_048_576 / seconds).toFixed(1);
    const bar = '#'.repeat(Math.floor(percent / 4)).padEnd(25, '.');
    if (this.stream.isTTY) this.stream.write(`\r[${bar}] ${String(percent).padStart(3)}% ${rate} MB/s`);
    else this.stream.write(`${percent}% (${rate} MB/s)\n`);
  }

  finish(): void {
    if (this.stream.isTTY && this.lastDrawn >= 0) this.stream.write('\n');
  }
}

/** Reads lines lazily, reporting progress by bytes consumed when the input is a file over the threshold. */
export async function* readJsonl(inPath: string | undefined): AsyncGenerator<JsonlLine> {
  const input = inPath ? createReadStream(inPath) : process.stdin;
  const size = inPath ? (await stat(inPath)).size : 0;
  const progress = size > PROGRESS_THRESHOLD_BYTES ? new ProgressBar(size) : undefined;
  let consumed = 0;
  let lineNumber = 0;
  try {
    for await (const raw of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
      lineNumber++;
      consumed += Buffer.byteLength(raw, 'utf8') + 1;
      progress?.update(consumed);
      if (raw.trim().length === 0) continue;
      yield { lineNumber, raw };
    }
  } finally {
    progress?.finish();
  }
}

export interface JsonlWriter {
  write(record: unknown): Promise<void>;
  close(): Promise<void>;
}

export function openJsonlWriter(outPath: string | undefined): JsonlWriter {
  const output: Writable = outPath ? createWriteStream(outPath, { mode: 0o600 }) : process.stdout;
  return {
    write: (record) =>
      new Promise((resolve, reject) => {
        const ok = output.write(`${JSON.stringify(record)}\n`, (error) => (error ? reject(error) : undefined));
        if (ok) resolve();
        else output.once('drain', resolve);
      }),
    close: () =>
      outPath ? new Promise((resolve) => (output as NodeJS.WritableStream).end(() => resolve())) : Promise.resolve(),
  };
}
