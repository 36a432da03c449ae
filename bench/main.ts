/** Benchmark entry point: `npm run bench -- <suite>...` runs the named suites, no argument runs them all. */
import { fileURLToPath } from 'node:url';

interface Suite {
  readonly description: string;
  run(repoRoot: string): Promise<unknown>;
}

// Suites load lazily so one suite's dependencies never slow down or break another.
const SUITES: Readonly<Record<string, Suite>> = {
  deid: {
    description: 'de-identification accuracy, throughput and memory per corpus and detector',
    run: async (repoRoot) => (await import('./deid/deid-suite.ts')).runDeidSuite({ repoRoot }),
  },
  knowledge: { description: 'retrieval and scale', run: (r) => import('./knowledge/suite.ts').then((s) => s.run(r)) },
  transcription: {
    description: 'real-time factor, end-of-segment latency and word error rate of the local recognisers',
    run: async (repoRoot) =>
      (await import('./transcription/transcription-suite.ts')).runTranscriptionSuite({ repoRoot }),
  },
};

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const requested = process.argv.slice(2).filter((argument) => argument !== '--');
const unknown = requested.filter((name) => !Object.hasOwn(SUITES, name));
if (unknown.length > 0) {
  console.error(`unknown suite: ${unknown.join(', ')}`);
  console.error(
    `available: ${Object.entries(SUITES)
      .map(([name, suite]) => `${name} (${suite.description})`)
      .join('; ')}`,
  );
  process.exit(2);
}
for (const name of requested.length > 0 ? requested : Object.keys(SUITES)) {
  const suite = SUITES[name];
  if (suite) await suite.run(repoRoot);
}
