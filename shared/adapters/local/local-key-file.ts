/** Reads a random secret key from a local file, creating it (mode 0600) on first use; the local stand-in for KMS. */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function loadOrCreateKeyFile(path: string, bytes = 32): Promise<Uint8Array> {
  try {
    return decode(await readFile(path, 'utf8'), path, bytes);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  try {
    await writeFile(path, randomBytes(bytes).toString('base64'), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  await chmod(path, 0o600);
  return decode(await readFile(path, 'utf8'), path, bytes);
}

function decode(content: string, path: string, bytes: number): Uint8Array {
  const key = Buffer.from(content.trim(), 'base64');
  if (key.length !== bytes) throw new Error(`Key file ${path} does not hold ${bytes} bytes`);
  return key;
}
