/**
 * The AI gateway: the only way any code reaches a model. In order: the role's minimum-necessary filter and panel,
 * the practice's AI policy, de-identification of everything in the prompt (fail closed), the model call, the
 * output check (quarantine on any identifier that is not one of this request's tokens), audit, then
 * re-identification for the requesting user only, of the tokens this request issued and no others.
 * `prepareAiRequest` and `completeAiRequest` split it at the de-identified prompt, so an asynchronous job can store
 * the prepared request and call the model later.
 */
import type { Purpose } from '../audit/audit-entry.ts';
import type { RequestAudit } from '../audit/request-audit.ts';
import { Forbidden, ServiceUnavailable, UnprocessableOutput } from '../errors/domain-errors.ts';
import type { Caller } from '../identity/caller.ts';
import { categoriesFor, type DataCategory, rolesForPatient } from '../identity/minimum-necessary.ts';
import type { Role } from '../identity/roles.ts';
import { recordMetric } from '../observability/record-metric.ts';
import { log } from '../observability/telemetry.ts';
import { DeidentificationFailed } from '../phi/deidentification-errors.ts';
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
import { checkModelOutput, type OutputCheck } from './output-check.ts';
import type { PromptSource } from './prompt-template.ts';
import { PROMPTS } from './prompts/prompt-catalog.ts';
import { SourceAliases } from './source-aliases.ts';
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

/** Counted as PolicyRefusals (by code) by the HTTP handler, with every other 403. */
function refusal(code: string, message: string): Forbidden {
  return new Forbidden(code, message);
}

/** The vault as de-identification uses it, noting each token it issues into `issued`. */
function notingIssuedTokens(vault: TokenVault, issued: Set<string>): TokenVault {
  return {
    name: vault.name,
    tokenize: async (scope, values) => {
      const tokens = await vault.tokenize(scope, values);
      for (const token of tokens) issued.add(token);
      return tokens;
    },
    resolve: (scope, tokens) => vault.resolve(scope, tokens),
    shred: (scope) => vault.shred(scope),
  };
}

/**
 * A request after every check that needs PHI in the clear: filtered, policy-approved and de-identified. It holds
 * only tokenized text, so it may be stored (a draft job) and completed later by another process.
 */
export interface PreparedAiRequest {
  readonly useCase: UseCase;
  readonly purpose: Purpose;
  /** The scope the tokens were issued in: the one given, or a new one created for this request. */
  readonly patientScope: string;
  /** Who asked: the completion is audited in their name and their attestation is checked again. */
  readonly requester: { readonly userId: string; readonly roles: readonly Role[] };
  /** Ties the audit records of the request to a draft job, when there is one. */
  readonly draftId?: string;
  readonly promptVersion: string;
  /** The model the policy chose at preparation; the completion re-checks that it is still approved. */
  readonly model: { readonly id: string; readonly modelId: string; readonly client: string };
  readonly sources: readonly PromptSource[];
  readonly instructions?: string;
  /**
   * Every token the vault issued for a span detected in this request's input (PHI the requester supplied): the only
   * tokens a reply may contain, and the only ones ever re-identified for it.
   */
  readonly issuedTokens: readonly string[];
  readonly withheld: { readonly byRole: DataCategory[]; readonly byPolicy: DataCategory[] };
}

/** A model reply that passed the output check, still tokenized: re-identify it only for an authorised reader. */
export interface TokenizedAiReply {
  readonly text: string;
  readonly patientScope: string;
  readonly model: AiResult['model'];
  readonly promptVersion: string;
  readonly usage: ModelReply['usage'];
  readonly latencyMs: number;
  readonly costUsd?: number;
}

export interface CompleteOptions {
  /** PHI-free sources derived after de-identification (e.g. inferred codes); their ids may be cited. */
  readonly extraSources?: readonly PromptSource[];
  /** A fixed, PHI-free note appended to the user turn (e.g. a reminder of the required reply format). */
  readonly correction?: string;
  /** Aborts the model call (e.g. the caller's deadline); an aborted call fails like an unreachable model. */
  readonly signal?: AbortSignal;
}

/** Role filter, panel, policy and de-identification: nothing in the result is PHI in the clear. */
export async function prepareAiRequest(
  request: AiRequest & { readonly draftId?: string },
  ports: AiGatewayPorts,
): Promise<PreparedAiRequest> {
  const template = PROMPTS[request.useCase];
  if (!mayStartUseCase(request.useCase, request.caller.roles)) {
    throw refusal('USE_CASE_NOT_PERMITTED', 'Your role may not start this use case');
  }
  // Off the caller's panel only their unrestricted roles count, for the use case and for what they may see.
  const roles = request.patientScope
    ? await rolesForPatient(request.caller, 'ai.invoke', request.patientScope, ports.panels)
    : request.caller.roles;
  if (!mayStartUseCase(request.useCase, roles)) {
    throw refusal('NOT_ON_PANEL', 'This patient is not on your panel');
  }

  // 1. Minimum necessary: drop what the caller's roles may not see, before anything else touches it.
  // Specially protected categories pass this filter only for care-team roles; the policy below removes them
  // again unless the patient's consent covers this use case.
  const visible = categoriesFor(roles, { withConsentEligible: true });
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
  // A token pasted in (from another document of the scope, or another scope) would otherwise come back restored for
  // a role that may not call POST /v1/reidentify: the gateway de-identifies text itself, so it takes text only.
  if (texts.some((text) => findTokens(text).length > 0)) {
    throw refusal(
      'FOREIGN_TOKENS',
      'The text holds vault tokens; send the original text, which the gateway de-identifies itself',
    );
  }
  const modelCall = { useCase: request.useCase, modelId: decision.model.modelId, client: client.name };
  const issued = new Set<string>();
  const deidentified = await deidentify(
    { items: texts.map((text) => ({ text })), ...(request.patientScope ? { patientScope: request.patientScope } : {}) },
    {
      detector: ports.detector,
      vault: notingIssuedTokens(ports.vault, issued),
      ids: ports.ids,
      beforeVaultWrite: (resource) =>
        ports.audit.allowed({
          resource: { ...resource, ...(request.draftId ? { draftId: request.draftId } : {}) },
          purpose: request.purpose,
          modelCall,
        }),
    },
  );
  const instructions = request.instructions ? deidentified.items.at(-1)?.text : undefined;
  return {
    useCase: request.useCase,
    purpose: request.purpose,
    patientScope: deidentified.patientScope,
    requester: { userId: request.caller.userId, roles: [...request.caller.roles] },
    ...(request.draftId ? { draftId: request.draftId } : {}),
    promptVersion: template.version,
    model: { id: decision.model.id, modelId: decision.model.modelId, client: decision.model.client },
    sources: sources.map((source, index) => ({
      sourceId: source.sourceId,
      category: source.category,
      text: deidentified.items[index]?.text ?? '',
    })),
    ...(instructions !== undefined ? { instructions } : {}),
    issuedTokens: [...issued],
    withheld: { byRole, byPolicy: [...decision.excluded] },
  };
}

/**
 * The policy re-checked (the model may have been retired, the attestation or a consent lapsed since preparation),
 * the model call, the output check and its audit. Returns the reply still tokenized.
 */
export async function completeAiRequest(
  prepared: PreparedAiRequest,
  ports: Omit<AiGatewayPorts, 'vault' | 'panels' | 'ids'>,
  options: CompleteOptions = {},
): Promise<TokenizedAiReply> {
  const template = PROMPTS[prepared.useCase];
  const resource = { patientScope: prepared.patientScope, ...(prepared.draftId ? { draftId: prepared.draftId } : {}) };
  const preparedCategories = [...new Set(prepared.sources.map((source) => source.category))];
  const decision = await decideModelUse(
    {
      useCase: prepared.useCase,
      requestedCategories: preparedCategories,
      userId: prepared.requester.userId,
      patientScope: prepared.patientScope,
      now: ports.clock.now(),
    },
    { store: ports.policy },
  );
  // A category withdrawn since preparation (a revoked consent) is not sent: its sources are dropped, not kept.
  const permitted = new Set<DataCategory>(decision.categories);
  const sources = [
    ...prepared.sources.filter((source) => permitted.has(source.category)),
    ...(options.extraSources ?? []),
  ];
  if (!prepared.sources.some((source) => permitted.has(source.category))) {
    throw refusal('NO_PERMITTED_SOURCES', 'None of the sources may be sent to a model for you and this use case');
  }
  const client = ports.modelClients[decision.model.client];
  if (!client) {
    throw new ServiceUnavailable(
      'MODEL_CLIENT_UNAVAILABLE',
      'The approved model is not reachable from this deployment',
    );
  }
  const modelCall = { useCase: prepared.useCase, modelId: decision.model.modelId, client: client.name };

  // 4. The model call. The model sees server-made source ids (`s1`, `s2`...), never the caller's, which are free text.
  const modelAudit = ports.audit.forAction('ai.model-call');
  const aliases = new SourceAliases(sources);
  const userTurn = template.render(aliases.promptSources, prepared.instructions);
  let reply: ModelReply;
  try {
    reply = await client.complete({
      modelId: decision.model.modelId,
      system: template.system,
      messages: [{ role: 'user', text: options.correction ? `${userTurn}\n\n${options.correction}` : userTurn }],
      maxOutputTokens: template.maxOutputTokens,
      temperature: 0.2,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    const reason = error instanceof ModelCallFailed ? error.reason : 'UNAVAILABLE';
    await modelAudit.failed(`MODEL_${reason}`, { resource, modelCall });
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
  const perModel = { useCase: prepared.useCase, model: decision.model.modelId };
  recordMetric('ModelCalls', 1, perModel);
  recordMetric('ModelInputTokens', reply.usage.inputTokens, perModel);
  recordMetric('ModelOutputTokens', reply.usage.outputTokens, perModel);
  recordMetric('ModelLatency', reply.latencyMs, perModel);
  if (costUsd !== undefined) recordMetric('ModelCostUsd', costUsd, perModel);

  // 5. The output check, then the audit of the call. A sectioned template's own headings are fixed, PHI-free text
  // the reply must repeat: masked like the citations, so a heading such as "Payer" is not taken for a name.
  const headings = 'headings' in template ? (template.headings as readonly string[]) : [];
  let check: OutputCheck;
  try {
    check = await checkModelOutput(reply.text, new Set(prepared.issuedTokens), ports.detector, {
      citations: aliases.citations(reply.text),
      headings,
    });
  } catch (error) {
    // The call was made and billed: audited as failed with its usage, then refused like a failed de-identification.
    await modelAudit.failed('OUTPUT_CHECK_FAILED', { resource, modelCall: usageCall });
    if (error instanceof DeidentificationFailed) throw error;
    log.error('output check failed', error, { useCase: prepared.useCase });
    throw new DeidentificationFailed('DETECTOR_FAILED');
  }
  if (!check.passed) {
    recordMetric('QuarantinedOutputs', 1, { useCase: prepared.useCase });
    log.warn('model output quarantined', {
      useCase: prepared.useCase,
      untokenizedTypes: check.untokenizedTypes,
      foreignTokens: check.foreignTokenCount,
    });
    await modelAudit.failed('OUTPUT_QUARANTINED', { resource, modelCall: usageCall });
    throw new OutputQuarantined();
  }
  await modelAudit.allowed({
    resource: { ...resource, tokenCount: findTokens(reply.text).length },
    purpose: prepared.purpose,
    modelCall: usageCall,
  });
  return {
    // Citations back in the caller's source ids, as drafts' evidence and knowledge citations expect them.
    text: aliases.restore(reply.text),
    patientScope: prepared.patientScope,
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
  };
}

/**
 * Puts the vault's values back for the tokens the request issued (PHI its requester supplied in it), and for no other
 * token. Audited like POST /v1/reidentify (`phi.reidentify`, scope, count, purpose) before any value is released.
 */
export async function reidentifyReply(
  text: string,
  prepared: Pick<PreparedAiRequest, 'patientScope' | 'issuedTokens' | 'purpose'>,
  ports: Pick<AiGatewayPorts, 'vault' | 'audit'>,
): Promise<string> {
  const found = findTokens(text);
  if (found.length === 0) return text;
  const issued = new Set(prepared.issuedTokens);
  const wanted = [...new Set(found.map((token) => token.token).filter((token) => issued.has(token)))];
  const values =
    wanted.length > 0 ? await ports.vault.resolve(prepared.patientScope, wanted) : new Map<string, string>();
  const released = new Map([...values].filter(([token]) => issued.has(token)));
  await ports.audit.forAction('phi.reidentify').allowed({
    resource: { patientScope: prepared.patientScope, tokenCount: released.size },
    purpose: prepared.purpose,
  });
  let out = '';
  let cursor = 0;
  for (const token of found) {
    out += text.slice(cursor, token.begin) + (released.get(token.token) ?? token.token);
    cursor = token.end;
  }
  return out + text.slice(cursor);
}

/** One synchronous call: prepare, complete, then re-identify for the requesting user only. */
export async function invokeAi(request: AiRequest, ports: AiGatewayPorts): Promise<AiResult> {
  const prepared = await prepareAiRequest(request, ports);
  const reply = await completeAiRequest(prepared, ports);
  return {
    text: await reidentifyReply(reply.text, prepared, ports),
    patientScope: reply.patientScope,
    model: reply.model,
    promptVersion: reply.promptVersion,
    usage: reply.usage,
    latencyMs: reply.latencyMs,
    ...(reply.costUsd !== undefined ? { costUsd: reply.costUsd } : {}),
    withheld: prepared.withheld,
  };
}
