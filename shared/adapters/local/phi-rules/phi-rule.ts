// The shape every rule of the local PHI detector shares: it reads the text and reports candidate spans to a sink.
import type { PhiType } from '../../../phi/phi-types.ts';
import type { WordTokens } from './word-tokens.ts';

/** Receives one candidate span; rules may report overlapping or duplicate spans, the detector merges them. */
export type SpanSink = (begin: number, end: number, type: PhiType, score: number) => void;

/** What a rule reads: the text and its word tokens, computed once and shared by the rules that need them. */
export interface RuleInput {
  readonly text: string;
  words(): WordTokens;
}

export interface PhiRule {
  /** Stable identifier, for tests and tracing. */
  readonly name: string;
  /** Every type the rule can report, so that a detector configured for some categories can skip it. */
  readonly types: readonly PhiType[];
  find(input: RuleInput, report: SpanSink): void;
}
