/** The `deid` benchmark suite: loads corpora and detectors, runs each pair, prints the table and writes the JSON. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PHI_TYPES, type PhiType } from '../../shared/phi/phi-types.ts';
import { type BenchRun, benchRun, writeBenchResults } from '../bench-results.ts';
import { setUpDetectors } from './bench-detectors.ts';
import { discoverCorpora, loadDevSet } from './corpus-loaders.ts';
import { COVERAGE_THRESHOLD } from './deid-metrics.ts';
import { formatDeidReport } from './deid-report.ts';
import { type DetectorRunResult, type DetectorRunSettings, runDetector } from './detector-run.ts';
import type { LabelledCorpus } from './labelled-corpus.ts';
import { SIMULATED_MISS_RATE } from './simulated-comprehend-medical.ts';

export interface CorpusSummary {
  readonly name: string;
  readonly source: string;
  readonly synthetic: boolean;
  readonly notes: number;
  readonly entities: number;
  readonly bytes: number;
  readonly entitiesByType: Readonly<Partial<Record<PhiType, number>>>;
  readonly kinds: Readonly<Record<string, number>>;
  readonly remarks: readonly string[];
}

export interface DeidReport extends BenchRun {
  readonly suite: 'deid';
  readonly settings: DetectorRunSettings & { readonly coverageThreshold: number; readonly simulatedMissRate: number };
  readonly corpora: readonly CorpusSummary[];
  readonly notices: readonly string[];
  readonly detectors: readonly {
    readonly name: string;
    readonly status: 'ready' | 'skipped';
    readonly label?: string;
    readonly reason?: string;
  }[];
  readonly results: readonly DetectorRunResult[];
}

export interface DeidSuiteOptions {
  readonly repoRoot: string;
  readonly settings?: Partial<DetectorRunSettings>;
  readonly log?: (line: string) => void;
}

const DEFAULT_SETTINGS: DetectorRunSettings = {
  minThroughputBytes: 5_000_000,
  largeNoteBytes: 1_000_000,
  largeNoteRepeats: 3,
  topMisses: 20,
};

function summarizeCorpus(corpus: LabelledCorpus): CorpusSummary {
  const entitiesByType: Partial<Record<PhiType, number>> = {};
  const kinds: Record<string, number> = {};
  let entities = 0;
  let bytes = 0;
  for (const note of corpus.notes) {
    kinds[note.kind] = (kinds[note.kind] ?? 0) + 1;
    bytes += Buffer.byteLength(note.text, 'utf8');
    for (const entity of note.entities) {
      entitiesByType[entity.type] = (entitiesByType[entity.type] ?? 0) + 1;
      entities++;
    }
  }
  const ordered: Partial<Record<PhiType, number>> = {};
  for (const type of PHI_TYPES) if (entitiesByType[type]) ordered[type] = entitiesByType[type];
  return {
    name: corpus.name,
    source: corpus.source,
    synthetic: corpus.synthetic,
    notes: corpus.notes.length,
    entities,
    bytes,
    entitiesByType: ordered,
    kinds,
    remarks: corpus.remarks,
  };
}

export async function runDeidSuite(options: DeidSuiteOptions): Promise<DeidReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const settings = { ...DEFAULT_SETTINGS, ...options.settings };
  const repoRoot = resolve(options.repoRoot);
  const devSetPath = join(repoRoot, 'bench/data/dev-set.jsonl');
  if (!existsSync(devSetPath)) {
    throw new Error('bench/data/dev-set.jsonl is missing; run: node --import tsx bench/data/generate-dev-set.ts');
  }
  const devSet = await loadDevSet(devSetPath, repoRoot);
  const discovered = await discoverCorpora(resolve(repoRoot, '../shared/data'), repoRoot);
  const corpora = [devSet, ...discovered.corpora];

  const setups = await setUpDetectors(repoRoot);
  for (const setup of setups) {
    if (setup.status === 'skipped') log(`skipped detector ${setup.name}: ${setup.reason}`);
  }
  const results: DetectorRunResult[] = [];
  for (const corpus of corpora) {
    for (const setup of setups) {
      if (setup.status !== 'ready') continue;
      log(`running ${setup.detector.name} on ${corpus.name} ...`);
      results.push(await runDetector(setup.detector, corpus, settings));
    }
  }

  const report: DeidReport = {
    suite: 'deid',
    ...benchRun(repoRoot),
    settings: { ...settings, coverageThreshold: COVERAGE_THRESHOLD, simulatedMissRate: SIMULATED_MISS_RATE },
    corpora: corpora.map(summarizeCorpus),
    notices: discovered.notices,
    detectors: setups.map((setup) =>
      setup.status === 'ready'
        ? { name: setup.detector.name, status: 'ready', label: setup.detector.label }
        : { name: setup.name, status: 'skipped', reason: setup.reason },
    ),
    results,
  };
  log(formatDeidReport(report));
  await writeBenchResults(repoRoot, 'bench/results/deid.json', report);
  log(`results written to bench/results/deid.json`);
  return report;
}
