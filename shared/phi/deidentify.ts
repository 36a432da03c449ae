/**
 * De-identification: detect PHI, replace every span with a vault token deterministic within the patient scope,
 * and release text only when every step succeeded (fail closed).
 */
import { Forbidden } from '../errors/domain-errors.ts';
import type { Caller } from '../identity/caller.ts';
import { assertPanelAccess } from '../identity/minimum-necessary.ts';
import { isPermitted } from '../identity/permissions.ts';
import { recordMetric } from '../observability/record-metric.ts';
import type { Ids } from '../ports/ids.ts';
import type { PanelDirectory } from '../ports/panel-directory.ts';
import type { PhiDetector } from '../ports/phi-detector.ts';
import type { TokenVault } from '../ports/token-vault.ts';
import { DeidentificationFailed } from './deidentification-errors.ts';
import type { PhiSpan, PhiType } from './phi-types.ts';
import { countByType, detectOrFail } from './scan-text.ts';

export interface DeidentifyInput {
  readonly items: readonly { readonly id?: string; readonly text: string }[];
  /** Opaque patient scope id; a new scope is created when absent. Never an MRN or other identifier. */
  readonly patientScope?: string;
}

export interface DeidentifiedItem {
  readonly id?: string;
  readonly text: string;
  readonly entityCounts: Partial<Record<PhiType, number>>;
}

export interface DeidentifyResult {
  readonly patientScope: string;
  readonly items: DeidentifiedItem[];
  readonly entityCounts: Partial<Record<PhiType, number>>;
  readonly tokenCount: number;
}

export interface DeidentifyPorts {
  readonly detector: PhiDetector;
  readonly vault: TokenVault;
  readonly ids: Ids;
  /** Called after detection and before anything is written to the vault; if it rejects, nothing is written. */
  readonly beforeVaultWrite: (summary: {
    patientScope: string;
    entityCounts: Partial<Record<PhiType, number>>;
    tokenCount: number;
  }) => Promise<void>;
}

/**
 * Tokens are deterministic within a scope, so writing into a named scope tells the caller whether a guessed value is
 * already in it: that needs the right to read the scope, the same role and panel rule as re-identification
 * (403 SCOPE_NOT_PERMITTED for a role that may not re-identify, NOT_ON_PANEL off the panel). Without a scope the
 * vault starts a fresh one, which reveals nothing, so every role that may de-identify may do that.
 */
export async function assertScopeWritable(
  caller: Caller,
  patientScope: string | undefined,
  panels: PanelDirectory,
): Promise<void> {
  if (patientScope === undefined) return;
  if (!isPermitted('phi.reidentify', caller.roles)) {
    throw new Forbidden('SCOPE_NOT_PERMITTED', 'Your role may de-identify only into a new patient scope');
  }
  await assertPanelAccess(caller, 'phi.reidentify', patientScope, panels);
}

/** Replaces spans (sorted, non-overlapping) by their tokens. */
export function replaceSpans(text: string, spans: readonly PhiSpan[], tokens: readonly string[]): string {
  let out = '';
  let cursor = 0;
  spans.forEach((span, index) => {
    out += text.slice(cursor, span.begin) + (tokens[index] ?? '');
    cursor = span.end;
  });
  return out + text.slice(cursor);
}

/** Detects everything first, then tokenizes: no text is released unless every item was examined. */
export async function deidentify(input: DeidentifyInput, ports: DeidentifyPorts): Promise<DeidentifyResult> {
  const patientScope = input.patientScope ?? `scope-${ports.ids.next()}`;
  const detected: PhiSpan[][] = [];
  for (const item of input.items) detected.push(await detectOrFail(ports.detector, item.text));

  const values = input.items.flatMap((item, index) =>
    (detected[index] ?? []).map((span) => ({ type: span.type, value: item.text.slice(span.begin, span.end) })),
  );
  const all = detected.flat();
  await ports.beforeVaultWrite({
    patientScope,
    entityCounts: countByType(all),
    tokenCount: new Set(values.map((value) => `${value.type}\u0000${value.value}`)).size,
  });
  let tokens: string[];
  try {
    tokens = await ports.vault.tokenize(patientScope, values);
  } catch {
    recordMetric('FailClosedRefusals', 1, { reason: 'VAULT_FAILED' });
    throw new DeidentificationFailed('VAULT_FAILED');
  }
  if (tokens.length !== values.length || tokens.some((token) => token.length === 0)) {
    recordMetric('FailClosedRefusals', 1, { reason: 'VAULT_FAILED' });
    throw new DeidentificationFailed('VAULT_FAILED');
  }

  let offset = 0;
  const items = input.items.map((item, index) => {
    const spans = detected[index] ?? [];
    const itemTokens = tokens.slice(offset, offset + spans.length);
    offset += spans.length;
    return {
      ...(item.id !== undefined ? { id: item.id } : {}),
      text: replaceSpans(item.text, spans, itemTokens),
      entityCounts: countByType(spans),
    };
  });
  return { patientScope, items, entityCounts: countByType(all), tokenCount: new Set(tokens).size };
}
