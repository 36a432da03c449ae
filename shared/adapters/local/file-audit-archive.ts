/** AuditArchive for the local runtime: export files under the data folder, created once and made read-only. */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditArchive } from '../../ports/audit-archive.ts';
import type { Clock } from '../../ports/clock.ts';

export class FileAuditArchive implements AuditArchive {
  readonly name = 'FileAuditArchive';

  constructor(
    private readonly directory: string,
    private readonly clock: Clock,
  ) {}

  async put(day: string, jsonLines: string): Promise<{ location: string }> {
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    const path = join(this.directory, `${day}.export-${this.clock.now().toISOString().replace(/[:.]/g, '')}.jsonl`);
    // `wx`: an existing export is never overwritten; read-only afterwards, as Object Lock keeps it in AWS.
    await writeFile(path, jsonLines, { flag: 'wx', mode: 0o600 });
    await chmod(path, 0o400);
    return { location: path };
  }
}
