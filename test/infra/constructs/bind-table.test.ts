import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type GatewayStacks } from '../../../infra/cdk-app.ts';
import { loadDeploymentConfig } from '../../../infra/config.ts';
import { TABLE_ACTIONS, TABLE_KEY_ACTIONS, tableGrantSid } from '../../../infra/constructs/bind-table.ts';
import { topology } from '../../../infra/topology/index.ts';
import { cdkJsonContext, type PolicyStatementJson } from '../stacks/synthesized-gateway.ts';

const REWRITES = ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

describe('bindTable', () => {
  it('lets an append grant read and put items, and nothing that changes or deletes one', () => {
    expect(TABLE_ACTIONS.append).toEqual([...TABLE_ACTIONS.read, 'dynamodb:PutItem']);
    for (const action of REWRITES) {
      expect(TABLE_ACTIONS.append).not.toContain(action);
      expect(TABLE_ACTIONS.readwrite).toContain(action);
    }
    // DynamoDB encrypts the new item with the table key, so an appender needs the writer's key actions.
    expect(TABLE_KEY_ACTIONS.append).toEqual(TABLE_KEY_ACTIONS.readwrite);
  });

  describe('on the audit table of the real topology', () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'cag-bind-table-'));
    let stacks: GatewayStacks;

    // Built, not synthesized: the grants are read from the constructs; test/infra/cdk-app.test.ts runs the packs.
    beforeAll(() => {
      ({ stacks } = buildApp({
        config: loadDeploymentConfig({ deployment: 'dev' }),
        topology,
        bundle: false,
        outdir,
        context: cdkJsonContext(),
      }));
    });
    afterAll(() => rmSync(outdir, { recursive: true, force: true }));

    const auditStatementsOf = (name: string): PolicyStatementJson[] => {
      const fn = stacks.service.functions[name];
      if (!fn) throw new Error(`no function ${name}`);
      const { Statement } = Stack.of(fn).resolve(fn.role.policy?.document.toJSON()) as {
        Statement: PolicyStatementJson[];
      };
      return Statement.filter((statement) => String(statement.Sid).startsWith('AuditTable'));
    };

    it('lets the audit writer append records but never update, delete or batch-write one', () => {
      const grants = auditStatementsOf('auditWriter').filter((statement) => statement.Sid !== 'AuditTableKey');
      expect(grants.map((statement) => statement.Sid)).toEqual([tableGrantSid('audit', 'append')]);
      const actions = [grants[0]?.Action].flat();
      expect(actions).toContain('dynamodb:PutItem');
      for (const action of REWRITES) expect(actions).not.toContain(action);
    });

    it('gives no function of the topology more than append access to the append-only audit table', () => {
      for (const [name, spec] of Object.entries(topology.functions)) {
        const access = spec.tables?.audit;
        if (access === undefined) continue;
        expect(['read', 'append'], name).toContain(access);
        const actions = auditStatementsOf(name).flatMap((statement) => [statement.Action].flat());
        for (const action of REWRITES) expect(actions, name).not.toContain(action);
      }
    });
  });
});
