/** Writes a resource reference the way cdk-nag names it in a finding id, so an acknowledgement can match it. */
import { Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** A resource reference as cdk-nag writes it in a finding id: imports by export name, attributes as `<Id.Attr>`. */
export function nagReference(scope: Construct, value: string): string {
  const visit = (node: unknown): string => {
    if (typeof node === 'string') return node;
    const intrinsic = node as Record<string, unknown>;
    if ('Fn::Join' in intrinsic) {
      const [delimiter, parts] = intrinsic['Fn::Join'] as [string, unknown[]];
      return parts.map(visit).join(delimiter);
    }
    if ('Fn::ImportValue' in intrinsic) return visit(intrinsic['Fn::ImportValue']);
    if ('Fn::GetAtt' in intrinsic) {
      const [logicalId, attribute] = intrinsic['Fn::GetAtt'] as [string, string];
      return `<${logicalId}.${attribute}>`;
    }
    if ('Ref' in intrinsic) return `<${String(intrinsic.Ref)}>`;
    return JSON.stringify(node);
  };
  return visit(Stack.of(scope).resolve(value));
}
