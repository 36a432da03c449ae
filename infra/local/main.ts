/** `npm start`: runs the whole system locally on embedded defaults (no AWS account, no Docker, no network). */
import './local-environment.ts';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { topology } from '../topology/index.ts';
import { startLocalRuntime } from './local-runtime.ts';

const { values } = parseArgs({
  options: {
    memory: { type: 'boolean', default: false },
    port: { type: 'string' },
    data: { type: 'string' },
    host: { type: 'string' },
  },
});

const rootDir = resolve(import.meta.dirname, '../..');
const dataDir = resolve(values.data ?? process.env.CAG_DATA_DIR ?? resolve(rootDir, '.data'));
const port = Number(values.port ?? process.env.PORT ?? 3000);

const runtime = await startLocalRuntime({
  topology,
  rootDir,
  dataDir,
  memory: values.memory,
  port,
  host: values.host ?? '127.0.0.1',
  runSchedules: true,
});

const lines = [
  '',
  `clinical-ai-gateway ${runtime.ports.version} running locally at ${runtime.url}`,
  `  data:      ${values.memory ? 'in memory (discarded on exit)' : dataDir}`,
  '  adapters:',
  ...Object.entries(runtime.ports.adapters).map(
    ([port, info]) =>
      `    ${port.padEnd(12)} ${info.adapter} (${info.kind})${info.limitation ? `  !! ${info.limitation}` : ''}`,
  ),
  `  health:    curl ${runtime.url}/v1/health`,
  '  token:     npx cag dev-token --role physician --user dr.lee',
  `             curl -H "Authorization: Bearer $(npx cag dev-token --role physician --user dr.lee)" ${runtime.url}/v1/...`,
  `  encounters: ${runtime.socketUrl} (WebSocket); e.g. npx cag encounter stream visit.wav --patient-scope scope-0042`,
  `  metrics:   ${values.memory ? 'EMF lines on standard output' : `${dataDir}/metrics.jsonl`}; npx cag ops summary`,
  `  dead letters: ${runtime.url}/__local/dead-letters`,
  '',
];
process.stdout.write(`${lines.join('\n')}\n`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    runtime.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
