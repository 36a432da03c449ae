/** Turns topology names (`idempotency`, `draft-ready`, `noteReady`) into construct ids (`Idempotency`, `DraftReady`). */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}
