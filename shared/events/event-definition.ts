/** How a domain event is declared: its EventBridge source and detail-type, a schema version and a zod detail schema. */
import type { z } from 'zod';

/** An EventBridge event pattern (JSON); the local runtime and the CDK rules both consume it. */
export type EventPattern = { readonly [key: string]: unknown };

export interface EventDefinition<Detail extends z.ZodType = z.ZodType> {
  readonly source: string;
  readonly detailType: string;
  readonly version: number;
  readonly detail: Detail;
}

/** A detail ready to publish, already validated against its definition. */
export interface DomainEvent {
  readonly source: string;
  readonly detailType: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

export const EVENT_SOURCE_PREFIX = 'clinical-ai-gateway';

export function defineEvent<const Detail extends z.ZodType>(definition: {
  capability: string;
  detailType: string;
  version: number;
  detail: Detail;
}): EventDefinition<Detail> {
  return {
    source: `${EVENT_SOURCE_PREFIX}.${definition.capability}`,
    detailType: definition.detailType,
    version: definition.version,
    detail: definition.detail,
  };
}

/** The pattern that selects exactly this event, used by topology rules on both realizations. */
export function patternFor(definition: EventDefinition): EventPattern {
  return { source: [definition.source], 'detail-type': [definition.detailType] };
}

/** Validates a detail against its definition before it leaves the process; payloads carry ids, never PHI. */
export function createEvent<Detail extends z.ZodType>(
  definition: EventDefinition<Detail>,
  detail: z.input<Detail>,
): DomainEvent {
  const parsed = definition.detail.parse(detail) as Record<string, unknown>;
  return { source: definition.source, detailType: definition.detailType, detail: parsed };
}
