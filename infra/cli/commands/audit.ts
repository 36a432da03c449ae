/**
 * `cag audit verify` walks every hash chain of the audit table (the local one, or with `--aws` the deployed one)
 * and reports modified, deleted, inserted or reordered records; `cag audit export --day` writes one day's records
 * with chain anchors. Exit code 1 when the trail does not verify.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { AuditDay } from '../../../shared/audit/audit-chain.ts';
import { exportAuditDay, readAuditDayExport } from '../../../shared/audit/export-audit-day.ts';
import { type AuditAnchor, verifyAuditChains } from '../../../shared/audit/verify-audit-chain.ts';
import type { AuditStore } from '../../../shared/ports/audit-store.ts';
import { awsAuditStore } from '../../../shared/runtime/aws-ports.ts';
import type { Ports } from '../../../shared/runtime/ports.ts';
import { startLocalServices } from '../../local/local-services.ts';
import { topology } from '../../topology/index.ts';

const ROOT_DIR = resolve(import.meta.dirname, '../../..');
const DEFAULT_DATA_DIR = resolve(ROOT_DIR, '.data');

interface StoreOptions {
  readonly data: string;
  readonly aws?: boolean;
  readonly table?: string;
  readonly region?: string;
}

const day = (value: string) => {
  if (!AuditDay.safeParse(value).success) throw new InvalidArgumentError('a day as YYYY-MM-DD');
  return value;
};

/** Runs `work` against the chosen audit store: the local dynalite data, or the deployed table. */
async function withStore<T>(options: StoreOptions, work: (store: AuditStore, ports?: Ports) => Promise<T>): Promise<T> {
  if (options.aws) {
    if (!options.table || !options.region) throw new Error('--aws needs --table and --region');
    return work(awsAuditStore({ region: options.region, tableName: options.table }));
  }
  const services = await startLocalServices({ topology, rootDir: ROOT_DIR, dataDir: resolve(options.data) });
  try {
    return await work(services.ports.auditStore, services.ports);
  } finally {
    await services.close();
  }
}

function storeOptions(command: Command): Command {
  return command
    .option('--data <dir>', 'local data folder', process.env.CAG_DATA_DIR ?? DEFAULT_DATA_DIR)
    .option('--aws', 'read the deployed audit table with your AWS credentials instead')
    .option('--table <name>', 'with --aws: the audit table name (stack output)')
    .option('--region <region>', 'with --aws: the region');
}

export function auditCommand(): Command {
  const audit = new Command('audit').description('verify and export the tamper-evident audit trail');
  storeOptions(
    audit
      .command('verify')
      .description('walk every hash chain and report tampering; exit 1 when it does not verify')
      .option('--day <YYYY-MM-DD>', 'only the chains of one UTC day', day)
      .option('--anchors <files...>', 'daily exports whose chain heads must still be present'),
  ).action(async (options: StoreOptions & { day?: string; anchors?: string[] }) => {
    const anchors: AuditAnchor[] = [];
    for (const file of options.anchors ?? []) anchors.push(...readAuditDayExport(await readFile(file, 'utf8')).anchors);
    const result = await withStore(options, (store) =>
      verifyAuditChains({ store }, { ...(options.day ? { day: options.day } : {}), anchors }),
    );
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    process.stderr.write(
      result.findings.length === 0
        ? `audit trail verified: ${result.records} records in ${result.chains} chains\n`
        : `AUDIT TRAIL BROKEN: ${result.findings.length} finding(s)\n`,
    );
    process.exitCode = result.findings.length === 0 ? 0 : 1;
  });
  storeOptions(
    audit
      .command('export')
      .description("write one UTC day's records and chain anchors as JSON Lines (locally into .data/audit-archive)")
      .requiredOption('--day <YYYY-MM-DD>', 'the UTC day', day)
      .option('--out <file>', 'write here instead of the archive ("-" for stdout)'),
  ).action(async (options: StoreOptions & { day: string; out?: string }) => {
    await withStore(options, async (store, ports) => {
      const exported = await exportAuditDay(options.day, { store });
      if (options.out === '-') process.stdout.write(exported.text);
      else if (options.out) await writeFile(options.out, exported.text, { flag: 'wx', mode: 0o400 });
      else if (ports)
        process.stderr.write(`written to ${(await ports.auditArchive.put(options.day, exported.text)).location}\n`);
      else throw new Error('with --aws, name a file with --out (the deployed export runs daily on its own)');
      process.stderr.write(`${exported.records} records, ${exported.anchors.length} chains\n`);
    });
  });
  return audit;
}
