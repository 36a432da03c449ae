/** The AI gateway's ports taken from the process's ports: the one mapping every handler that reaches a model uses. */
import type { RequestAudit } from '../audit/request-audit.ts';
import type { Ports } from '../runtime/ports.ts';
import type { AiGatewayPorts } from './ai-gateway.ts';

/** Without `audit`, for callers (event consumers) that build the request's audit themselves. */
export function aiGatewayPortsOf(ports: Ports): Omit<AiGatewayPorts, 'audit'>;
export function aiGatewayPortsOf(ports: Ports, audit: RequestAudit): AiGatewayPorts;
export function aiGatewayPortsOf(ports: Ports, audit?: RequestAudit): Omit<AiGatewayPorts, 'audit'> | AiGatewayPorts {
  return {
    detector: ports.phiDetector,
    vault: ports.tokenVault,
    policy: ports.policy,
    panels: ports.panels,
    modelClients: ports.modelClients,
    clock: ports.clock,
    ids: ports.ids,
    ...(audit ? { audit } : {}),
  };
}
