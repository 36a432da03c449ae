/** The detectors the benchmark compares, loaded lazily so a missing or broken module is skipped with a notice. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PhiSpan } from '../../shared/phi/phi-types.ts';
import type { PhiDetector } from '../../shared/ports/phi-detector.ts';
import type { LabelledNote } from './labelled-corpus.ts';
import { SIMULATED_MISS_RATE, SimulatedComprehendMedical } from './simulated-comprehend-medical.ts';

export interface BenchDetector {
  readonly name: string;
  /** Shown in tables; says "SIMULATED" whenever a component answers from gold labels. */
  readonly label: string;
  readonly simulated: boolean;
  detect(text: string): Promise<readonly PhiSpan[]>;
  /** The synchronous path, preferred for throughput when the detector has one. */
  readonly detectSync?: (text: string) => readonly PhiSpan[];
  /** Called before each text is detected, so a simulated component answers from that text's gold labels. */
  prepare(note: Pick<LabelledNote, 'text' | 'entities'>): void;
  /** Remarks gathered while running (e.g. simulated requests whose text could not be located). */
  remarks(): string[];
}

export type DetectorSetup =
  | { readonly status: 'ready'; readonly detector: BenchDetector }
  | { readonly status: 'skipped'; readonly name: string; readonly reason: string };

const MODULES = {
  local: 'shared/adapters/local/local-phi-detector.ts',
  comprehend: 'shared/adapters/aws/comprehend-medical-detector.ts',
  ensemble: 'shared/phi/ensemble-detector.ts',
} as const;

type Loaded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/** Imports a colleague's module by path at run time, so this suite type-checks and runs before it exists. */
async function importExport(repoRoot: string, modulePath: string, exportName: string): Promise<Loaded<unknown>> {
  const absolute = join(repoRoot, modulePath);
  if (!existsSync(absolute)) return { ok: false, reason: `${modulePath} not found` };
  try {
    const module: Record<string, unknown> = await import(pathToFileURL(absolute).href);
    const value = module[exportName];
    return value === undefined
      ? { ok: false, reason: `${modulePath} does not export ${exportName}` }
      : { ok: true, value };
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error);
    return { ok: false, reason: `${modulePath} failed to load: ${message}` };
  }
}

function construct(
  value: unknown,
  args: readonly unknown[],
  what: string,
): Loaded<PhiDetector & { detectSync?: unknown }> {
  if (typeof value !== 'function') return { ok: false, reason: `${what} is not a class` };
  try {
    const instance: unknown = Reflect.construct(value, args);
    if (typeof instance !== 'object' || instance === null || typeof Reflect.get(instance, 'detect') !== 'function') {
      return { ok: false, reason: `${what} has no detect(text) method` };
    }
    return { ok: true, value: instance as PhiDetector & { detectSync?: unknown } };
  } catch (error) {
    return {
      ok: false,
      reason: `${what} constructor threw: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

function wrap(
  name: string,
  label: string,
  detector: PhiDetector & { detectSync?: unknown },
  simulation?: SimulatedComprehendMedical,
): BenchDetector {
  const sync = detector.detectSync;
  return {
    name,
    label,
    simulated: simulation !== undefined,
    detect: (text) => detector.detect(text),
    ...(typeof sync === 'function'
      ? { detectSync: (text: string) => sync.call(detector, text) as readonly PhiSpan[] }
      : {}),
    prepare: (note) => simulation?.answerFrom(note),
    remarks: () =>
      simulation && simulation.stats.unmatched > 0
        ? [
            `${simulation.stats.unmatched} of ${simulation.stats.calls} simulated DetectPHI requests carried text not found in the note (answered with no entities)`,
          ]
        : [],
  };
}

/**
 * The adapter holds itself to the account's DetectPHI quota (40,000 characters per second by default), which would
 * make the simulated rows measure a sleep. The budget is lifted here; the quota-bound rate is reported separately.
 */
const SIMULATED_ADAPTER_OPTIONS = { charactersPerSecond: 1e12 };
export const DETECT_PHI_QUOTA_CHARACTERS_PER_SECOND = 40_000;

const SIMULATED_LABEL = `SIMULATED Comprehend Medical (gold minus ${Math.round(SIMULATED_MISS_RATE * 100)}%)`;

/** Builds every detector it can; the rest come back as skipped with the reason. */
export async function setUpDetectors(repoRoot: string): Promise<DetectorSetup[]> {
  const setups: DetectorSetup[] = [];
  const localClass = await importExport(repoRoot, MODULES.local, 'LocalPhiDetector');
  const local = localClass.ok ? construct(localClass.value, [], 'LocalPhiDetector') : localClass;
  setups.push(
    local.ok
      ? { status: 'ready', detector: wrap('local', 'local (rules)', local.value) }
      : { status: 'skipped', name: 'local', reason: local.reason },
  );

  const comprehendClass = await importExport(repoRoot, MODULES.comprehend, 'ComprehendMedicalDetector');
  const makeComprehend = (simulation: SimulatedComprehendMedical) =>
    comprehendClass.ok
      ? construct(comprehendClass.value, [simulation.client, SIMULATED_ADAPTER_OPTIONS], 'ComprehendMedicalDetector')
      : comprehendClass;

  const soloSimulation = new SimulatedComprehendMedical();
  const solo = makeComprehend(soloSimulation);
  setups.push(
    solo.ok
      ? { status: 'ready', detector: wrap('comprehend-simulated', SIMULATED_LABEL, solo.value, soloSimulation) }
      : { status: 'skipped', name: 'comprehend-simulated', reason: solo.reason },
  );

  const ensembleClass = await importExport(repoRoot, MODULES.ensemble, 'EnsembleDetector');
  const ensembleSimulation = new SimulatedComprehendMedical();
  const ensembleLocal = localClass.ok ? construct(localClass.value, [], 'LocalPhiDetector') : localClass;
  const ensembleComprehend = makeComprehend(ensembleSimulation);
  const missing = [ensembleClass, ensembleLocal, ensembleComprehend].find((part) => !part.ok);
  if (missing && !missing.ok) {
    setups.push({ status: 'skipped', name: 'ensemble', reason: missing.reason });
  } else if (ensembleClass.ok && ensembleLocal.ok && ensembleComprehend.ok) {
    const ensemble = construct(
      ensembleClass.value,
      [[ensembleLocal.value, ensembleComprehend.value]],
      'EnsembleDetector',
    );
    setups.push(
      ensemble.ok
        ? {
            status: 'ready',
            detector: wrap('ensemble', `ensemble: local + ${SIMULATED_LABEL}`, ensemble.value, ensembleSimulation),
          }
        : { status: 'skipped', name: 'ensemble', reason: ensemble.reason },
    );
  }
  return setups;
}
