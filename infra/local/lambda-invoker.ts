/** Loads a function's handler module from its topology entry and invokes it the way the Lambda service does. */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { FunctionSpec } from '../topology/types.ts';

export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

export class LambdaTimeout extends Error {
  constructor(functionName: string, timeoutSeconds: number) {
    super(`${functionName} timed out after ${timeoutSeconds} s`);
    this.name = 'LambdaTimeout';
  }
}

export const DEFAULT_TIMEOUT_SECONDS = 29;

export interface LocalFunction {
  readonly name: string;
  readonly spec: FunctionSpec;
  invoke(event: unknown): Promise<unknown>;
}

function lambdaContext(functionName: string, spec: FunctionSpec, deadline: number): Context {
  const requestId = randomUUID();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: String(spec.memoryMb ?? 512),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/${requestId}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Imports the handler module (failing loudly when the entry or its `handler` export is missing). */
export async function loadFunction(rootDir: string, name: string, spec: FunctionSpec): Promise<LocalFunction> {
  const module = (await import(pathToFileURL(resolve(rootDir, spec.entry)).href)) as { handler?: unknown };
  if (typeof module.handler !== 'function') {
    throw new Error(`Function ${name}: ${spec.entry} does not export a handler`);
  }
  const handler = module.handler as LambdaHandler;
  const timeoutSeconds = spec.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  return {
    name,
    spec,
    async invoke(event) {
      const deadline = Date.now() + timeoutSeconds * 1000;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new LambdaTimeout(name, timeoutSeconds)), timeoutSeconds * 1000);
      });
      try {
        return await Promise.race([handler(event, lambdaContext(name, spec, deadline)), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
