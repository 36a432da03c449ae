/**
 * `cag phi scan` and `cag phi deidentify`: JSON Lines `{"id","text"}` in, one result per line out. Both run the
 * same use cases as the API, on the local adapters; a line that fails yields an error record, never partial text.
 */
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import { RequestAudit } from '../../../shared/audit/request-audit.ts';
import { DomainError } from '../../../shared/errors/domain-errors.ts';
import { deidentify } from '../../../shared/phi/deidentify.ts';
import { MAX_TEXT_CHARS, PatientScope } from '../../../shared/phi/phi-requests.ts';
import { scanText } from '../../../shared/phi/scan-text.ts';
import { localPhiDetector } from '../../../shared/runtime/local-ports.ts';
import { startLocalServices } from '../../local/local-services.ts';
import { topology } from '../../topology/index.ts';
import { openJsonlWriter, readJsonl } from '../jsonl-io.ts';

const ROOT_DIR = resolve(import.meta.dirname, '../../..');
const DEFAULT_DATA_DIR = resolve(ROOT_DIR, '.data');

const InputLine = z
  .object({
    id: z.union([z.string().max(200), z.number()]),
    text: z.string().max(MAX_TEXT_CHARS),
    patientScope: PatientScope.optional(),
  })
  .passthrough();

interface IoOptions {
  readonly in?: string;
  readonly out?: string;
}

/** Parses one line; returns an error record (with the id when it could be read) instead of throwing. */
function parseLine(raw: string, lineNumber: number): z.infer<typeof InputLine> | { error: object } {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { error: { line: lineNumber, error: { code: 'INVALID_JSON' } } };
  }
  const parsed = InputLine.safeParse(value);
  if (parsed.success) return parsed.data;
  const id = (value as { id?: unknown } | null)?.id;
  return {
    error: {
      ...(typeof id === 'string' || typeof id === 'number' ? { id } : {}),
      line: lineNumber,
      error: {
        code: 'VALIDATION_FAILED',
        issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), code: i.code })),
      },
    },
  };
}

function errorRecord(id: string | number, error: unknown): object {
  const code = error instanceof DomainError ? error.code : 'INTERNAL_ERROR';
  const reason = error instanceof DomainError ? error.details?.reason : undefined;
  return { id, error: { code, ...(reason ? { reason } : {}) } };
}

async function runScan(options: IoOptions): Promise<number> {
  const detector = localPhiDetector();
  const writer = openJsonlWriter(options.out);
  let failures = 0;
  for await (const { raw, lineNumber } of readJsonl(options.in)) {
    const line = parseLine(raw, lineNumber);
    if ('error' in line) {
      failures++;
      await writer.write(line.error);
      continue;
    }
    try {
      const { entities } = await scanText(line.text, detector);
      await writer.write({
        id: line.id,
        entities: entities.map(({ begin, end, type, score }) => ({ begin, end, type, score })),
      });
    } catch (error) {
      failures++;
      await writer.write(errorRecord(line.id, error));
    }
  }
  await writer.close();
  return failures > 0 ? 1 : 0;
}

async function runDeidentify(options: IoOptions & { scope?: string; data: string; memory: boolean }): Promise<number> {
  const services = await startLocalServices({
    topology,
    rootDir: ROOT_DIR,
    dataDir: options.data,
    memory: options.memory,
  });
  const { ports } = services;
  const writer = openJsonlWriter(options.out);
  // The operator at this terminal is the actor: the CLI writes the vault, so it is audited like the API.
  const audit = new RequestAudit(ports.audit, ports.clock, {
    action: 'phi.deidentify',
    caller: {
      userId: `cli.${userInfo().username}`,
      username: userInfo().username,
      roles: [],
      clientId: 'cag-cli',
      sourceIp: undefined,
    },
    correlationId: `cli-${ports.ids.next()}`,
  });
  let failures = 0;
  try {
    for await (const { raw, lineNumber } of readJsonl(options.in)) {
      const line = parseLine(raw, lineNumber);
      if ('error' in line) {
        failures++;
        await writer.write(line.error);
        continue;
      }
      try {
        const scope = line.patientScope ?? options.scope;
        const result = await deidentify(
          { items: [{ text: line.text }], ...(scope ? { patientScope: scope } : {}) },
          {
            detector: ports.phiDetector,
            vault: ports.tokenVault,
            ids: ports.ids,
            beforeVaultWrite: (resource) => audit.allowed({ resource }),
          },
        );
        const [item] = result.items;
        await writer.write({
          id: line.id,
          patientScope: result.patientScope,
          text: item?.text,
          entityCounts: item?.entityCounts,
        });
      } catch (error) {
        failures++;
        await writer.write(errorRecord(line.id, error));
      }
    }
  } finally {
    await writer.close();
    await services.close();
  }
  return failures > 0 ? 1 : 0;
}

export function phiCommand(): Command {
  const phi = new Command('phi').description('scan or de-identify JSON Lines {"id","text"} with the local detector');
  phi
    .command('scan')
    .description('write {"id","entities":[{"begin","end","type","score"}]} per line')
    .option('--in <file>', 'input JSONL (default: stdin)')
    .option('--out <file>', 'output JSONL (default: stdout)')
    .action(async (options: IoOptions) => {
      process.exitCode = await runScan(options);
    });
  phi
    .command('deidentify')
    .description('write {"id","patientScope","text","entityCounts"} per line; tokens go to the local vault')
    .option('--in <file>', 'input JSONL (default: stdin)')
    .option('--out <file>', 'output JSONL (default: stdout)')
    .option('--scope <id>', 'patient scope for lines without their own patientScope (default: a new scope per line)')
    .option('--data <dir>', 'local data folder (vault and keys)', process.env.CAG_DATA_DIR ?? DEFAULT_DATA_DIR)
    .option('--memory', 'keep the vault in memory (tokens cannot be re-identified later)', false)
    .action(async (options: IoOptions & { scope?: string; data: string; memory: boolean }) => {
      if (options.scope !== undefined && !PatientScope.safeParse(options.scope).success) {
        throw new Error('--scope must be an opaque id of 8-128 letters, digits and . _ : -');
      }
      process.exitCode = await runDeidentify({ ...options, data: resolve(options.data) });
    });
  return phi;
}
