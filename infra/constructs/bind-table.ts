/** Binds a table to a function in one call: the env var with its name, and least-privilege table and key grants. */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { tableEnvVar } from '../../shared/runtime/table-env.ts';
import type { TableAccess } from '../topology/types.ts';
import type { HardenedFunction } from './hardened-function.ts';
import { pascalCase } from './pascal-case.ts';
import type { TableBinding } from './topology-tables.ts';

const READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];
const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

// IAM cannot require PutItem's `attribute_not_exists` condition, so `append` still relies on the writer's code not
// to overwrite; it removes every action that changes or deletes an item in place, batch writes (deletes) included.
export const TABLE_ACTIONS: Readonly<Record<TableAccess, readonly string[]>> = {
  read: READ_ACTIONS,
  append: [...READ_ACTIONS, 'dynamodb:PutItem'],
  readwrite: [...READ_ACTIONS, ...WRITE_ACTIONS],
};

const KEY_READ_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'];
const KEY_WRITE_ACTIONS = [...KEY_READ_ACTIONS, 'kms:Encrypt', 'kms:GenerateDataKey'];

/** DynamoDB uses the table key on the caller's behalf; readers only decrypt, writers also encrypt. */
export const TABLE_KEY_ACTIONS: Readonly<Record<TableAccess, readonly string[]>> = {
  read: KEY_READ_ACTIONS,
  append: KEY_WRITE_ACTIONS,
  readwrite: KEY_WRITE_ACTIONS,
};

const GRANT_SID_SUFFIX: Readonly<Record<TableAccess, string>> = {
  read: 'Read',
  append: 'Append',
  readwrite: 'ReadWrite',
};

/** The statement id of a table grant, e.g. `AuditTableAppend`. */
export function tableGrantSid(logicalName: string, access: TableAccess): string {
  return `${pascalCase(logicalName)}Table${GRANT_SID_SUFFIX[access]}`;
}

export function bindTable(fn: HardenedFunction, logicalName: string, binding: TableBinding, access: TableAccess): void {
  const { table, key, indexNames } = binding;
  const name = pascalCase(logicalName);
  fn.addEnvironment(tableEnvVar(logicalName), table.tableName);
  // Named index ARNs rather than `<table>/index/*`: only the indexes the topology declares.
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid: tableGrantSid(logicalName, access),
      actions: [...TABLE_ACTIONS[access]],
      resources: [table.tableArn, ...indexNames.map((index) => `${table.tableArn}/index/${index}`)],
    }),
  );
  // Only through DynamoDB: the function cannot call KMS directly with the table key.
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid: `${name}TableKey`,
      actions: [...TABLE_KEY_ACTIONS[access]],
      resources: [key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(fn).region}.amazonaws.com` } },
    }),
  );
}
