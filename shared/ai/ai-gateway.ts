/**
 * The AI gateway: the only way any code reaches a model. In order: the role's minimum-necessary filter and panel,
 * the practice's AI policy, de-identification of everything in the prompt (fail closed), the model call, the
 * output check (quarantine on any identifier that is not one of this request's tokens), audit, then
 * re-identification for the requesting user only.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Purpose } from '../audit/audit-entry.ts';
import type { RequestAudit } from '../audit/request-audit.ts';
import { Forbidden, ServiceUnavailable, UnprocessableOutput } from '../errors/domain-errors.ts';
import type { Caller } from '../identity/caller.ts';
import { assertPanelAccess, categoriesFor, type DataCategory } from '../identity/minimum-necessary.ts';
import { log, metrics } from '../observability/telemetry.ts';
import { deidentify } from '../phi/deidentify.ts';
import { findTokens } from '../phi/vault-token.ts';
import { decideModelUse } from '../policy/decide-model-use.ts';
import type { Clock } from '../ports/clock.ts';
import type { Ids } from '../ports/ids.ts';
import { ModelCallFailed, type ModelClient, type ModelReply } from '../ports/model-client.ts';
import type { PanelDirectory } from '../ports/panel-directory.ts';
import type { PhiDetector } from '../ports/phi-detector.ts';
import type { PolicyStore } from '../ports/policy-store.ts';
import type { TokenVault } from '../ports/token-vault.ts';
import { estimateCostUsd } from './model-pricing.ts';
import { checkModelOutput } from './output-check.ts';
import type { PromptSource } from './prompt-template.ts';
import { PROMPTS } from './prompts/prompt-catalog.ts';
import { mayStartUseCase, type UseCase } from './use-cases.ts';

export interface AiSourceInput {
  readonly sourceId: string;
  readonly category: DataCategory;
  /** May contain PHI: it is filtered and de-identified before it can reach a model. */
  readonly text: string;
}

export interface AiRequest {
  readonly useCase: UseCase;
  readonly caller: Caller;
  readonly purpose: Purpose;
  readonly patientScope?: string;
  readonly sources: readonly AiSourceInput[];
  /** The clinician's own instructions; de-identified like the sources. */
  readonly instructions?: string;
}

export interface AiGatewayPorts {
  readonly detector: PhiDetector;
  readonly vault: TokenVault;
  readonly policy: PolicyStore;
  readonly panels: PanelDirectory;
  readonly modelClients: Readonly<Partial<Record<string, ModelClient>>>;
  readonly clock: Clock;
  readonly ids: Ids;
  readonly audit: RequestAudit;
}

export interface AiResult {
  /** Re-identified for the requesting user. */
  readonly text: string;
  readonly patientScope: string;
  readonly model: {
    readonly id: string;
    readonly modelId: string;
    readonly client: string;
    readonly isRealModel: boolean;
  };
  readonly promptVersion: string;
  readonly usage: ModelReply['usage'];
  readonly latencyMs: number;
  readonly costUsd?: number;
  /** Categories removed before the model saw anything: by role, or specially protected without consent. */
  readonly withheld: { readonly byRole: DataCategory[]; readonly byPolicy: DataCategory[] };
}

/** A reply held back by the output check: never delivered, audited and counted. */
export class OutputQuarantined extends UnprocessableOutput {
  constructor() {
    super('OUTPUT_QUARANTINED', 'The model output contained an identifier and was withheld; it has been recorded');
  }
}

function refusal(code: string, message: string): Forbidden {
  metrics.addMetric('PolicyRefusals', MetricUnit.Count, 1);
  return new Forbidden(code, message);
}

export async function invokeAi(request: AiRequest, ports: AiGatewayPorts): Promise<AiResult> {
  const template = PROMPTS[request.useCase];
  if (!mayStartUseCase(request.useCase, request.caller.roles)) {
    throw refusal('USE_CASE_NOT_PERMITTED', 'Your role may not start this use case');
  }
  if (request.patientScope) {
    await assertPanelAccess(request.caller, 'ai.invoke', request.patientScope, ports.panels);
  }

  // 1. Minimum necessary: drop what the caller's roles may not see, before anything else touches it.
  // Specially protected categories pass this filter only for care-team roles; the policy below removes them
  // again unless the patient's consent covers this use case.
  const visible = categoriesFor(request.caller.roles, { withConsentEligible: true });
  const byRole = [...new Set(request.sources.map((s) => s.category).filter((category) => !visible.has(category)))];
  const roleFiltered = request.sources.filter((source) => visible.has(source.category));

  // 2. The practice's policy: approved model, BAA, review date, attestation, permitted and excluded categories.
  const decision = await decideModelUse(
    {
      useCase: request.useCase,
      requestedCategories: [...new Set(roleFiltered.map((source) => source.category))],
      userId: request.caller.userId,
      ...(request.patientScope ? { patientScope: request.patientScope } : {}),
      now: ports.clock.now(),
    },
    { store: ports.policy },
  );
  const permitted = new Set<DataCategory>(decision.categories);
  const sources = roleFiltered.filter((source) => permitted.has(source.category));
  if (sources.length === 0) {
    throw refusal('NO_PERMITTED_SOURCES', 'None of the sources may be sent to a model for you and this use case');
  }
  const client = ports.modelClients[decision.model.client];
  if (!client) {
    throw new ServiceUnavailable(
      'MODEL_CLIENT_UNAVAILABLE',
      'The approved model is not reachable from this deployment',
    );
  }

  // 3. De-identify every part of the prompt; any failure stops here and nothing reaches the model.
  const texts = [...sources.map((source) => source.text), ...(request.instructions ? [request.instructions] : [])];
  const modelCall = { useCase: request.useCase, modelId: decision.model.modelId, client: client.name };
  const deidentified = await deidentify(
    { items: texts.map((text) => ({ text })), ...(request.patientScope ? { patientScope: request.patientScope } : {}) },
    {
      detector: ports.detector,
      vault: ports.vault,
      ids: ports.ids,
      beforeVaultWrite: (resource) => ports.audit.allowed({ resource, purpose: request.purpose, modelCall }),
    },
  );
  const issued = new Set(deidentified.items.flatMap((item) => findTokens(item.text).map((token) => token.token)));
  const promptSources: PromptSource[] = sources.map((source, index) => ({
    sourceId: source.sourceId,
    category: source.category,
    text: deidentified.items[index]?.text ?? '',
  }));
  const instructions = request.instructions ? deidentified.items.at(-1)?.text : undefined;

  // 4. The model call.
  const modelAudit = ports.audit.forAction('ai.model-call');
  let reply: ModelReply;
  try {
    reply = await client.complete({
      modelId: decision.model.modelId,
      system: template.system,
      messages: [{ role: 'user', text: template.render(promptSources, instructions) }],
      maxOutputTokens: template.maxOutputTokens,
      temperature: 0.2,
    });
  } catch (error) {
    const reason = error instanceof ModelCallFailed ? error.reason : 'UNAVAILABLE';
    await modelAudit.failed(`MODEL_${reason}`, { resource: { patientScope: deidentified.patientScope }, modelCall });
    throw new ServiceUnavailable('MODEL_UNAVAILABLE', 'The model could not be reached; nothing was released', {
      reason,
    });
  }
  const costUsd = estimateCostUsd(decision.model.modelId, client.name, reply.usage);
  const usageCall = {
    ...modelCall,
    inputTokens: reply.usage.inputTokens,
    outputTokens: reply.usage.outputTokens,
    latencyMs: Math.round(reply.latencyMs),
    ...(costUsd !== undefined ? { costUsd } : {}),
  };
  metrics.addMetric('ModelCalls', MetricUnit.Count, 1);
  metrics.addMetric('ModelInputTokens', MetricUnit.Count, reply.usage.inputTokens);
  metrics.addMetric('ModelOutputTokens', MetricUnit.Count, reply.usage.outputTokens);
  metrics.addMetric('ModelLatency', MetricUnit.Milliseconds, reply.latencyMs);

  // 5. The output check, then the audit of the call, then re-identification for this caller only.
  const check = await checkModelOutput(
    reply.text,
    issued,
    ports.detector,
    sources.map((source) => source.sourceId),
  );
  if (!check.passed) {
    metrics.addMetric('QuarantinedOutputs', MetricUnit.Count, 1);
    log.warn('model output quarantined', {
      useCase: request.useCase,
      untokenizedTypes: check.untokenizedTypes,
      foreignTokens: check.foreignTokenCount,
    });
    await modelAudit.failed('OUTPUT_QUARANTINED', {
      resource: { patientScope: deidentified.patientScope },
      modelCall: usageCall,
    });
    throw new OutputQuarantined();
  }
  const tokens = findTokens(reply.text);
  await modelAudit.allowed({
    resource: { patientScope: deidentified.patientScope, tokenCount: tokens.length },
    purpose: request.purpose,
    modelCall: usageCall,
  });
  const values = await ports.vault.resolve(deidentified.patientScope, [...new Set(tokens.map((token) => token.token))]);
  let text = '';
  let cursor = 0;
  for (const token of tokens) {
    text += reply.text.slice(cursor, token.begin) + (values.get(token.token) ?? token.token);
    cursor = token.end;
  }
  text += reply.text.slice(cursor);

  return {
    text,
    patientScope: deidentified.patientScope,
    model: {
      id: decision.model.id,
      modelId: decision.model.modelId,
      client: client.name,
      isRealModel: client.isRealModel,
    },
    promptVersion: template.version,
    usage: reply.usage,
    latencyMs: Math.round(reply.latencyMs),
    ...(costUsd !== undefined ? { costUsd } : {}),
    withheld: { byRole, byPolicy: [...decision.excluded] },
  };
}
