/** The environment variable that carries a table's physical name; CDK's table binding and the runtime share it. */
export function tableEnvVar(logicalName: string): string {
  return `TABLE_${logicalName.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
}
