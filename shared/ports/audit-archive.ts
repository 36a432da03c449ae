/** Port: write-once storage for daily audit exports (an object-locked S3 bucket in AWS, a folder locally). */

export interface AuditArchive {
  readonly name: string;
  /** Stores one day's export; a day already archived is kept and the new copy is stored beside it, never over it. */
  put(day: string, jsonLines: string): Promise<{ location: string }>;
}
