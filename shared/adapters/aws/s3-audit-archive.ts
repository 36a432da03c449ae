/**
 * AuditArchive on S3: each export is a new object under `audit/YYYY/MM/DD/`, named by the time it was written,
 * in a versioned bucket whose default Object Lock retention keeps it unchangeable for the retention period.
 */
import { createHash } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AuditArchive } from '../../ports/audit-archive.ts';
import type { Clock } from '../../ports/clock.ts';

export class S3AuditArchive implements AuditArchive {
  readonly name = 'S3AuditArchive';

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly clock: Clock,
  ) {}

  async put(day: string, jsonLines: string): Promise<{ location: string }> {
    const [year, month, date] = day.split('-');
    const key = `audit/${year}/${month}/${date}/export-${this.clock.now().toISOString().replace(/[:.]/g, '')}.jsonl`;
    const body = Buffer.from(jsonLines, 'utf8');
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: 'application/x-ndjson',
        // Object Lock buckets require an integrity checksum on every write.
        ChecksumAlgorithm: 'SHA256',
        ChecksumSHA256: createHash('sha256').update(body).digest('base64'),
      }),
    );
    return { location: `s3://${this.bucket}/${key}` };
  }
}
