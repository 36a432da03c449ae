/** Matches request paths against API Gateway resource templates (`/v1/drafts/{draftId}`, `{proxy+}`). */
import type { HttpMethod } from '../topology/types.ts';

export interface RouteMatch<Target> {
  readonly target: Target;
  readonly resource: string;
  readonly pathParameters: Record<string, string> | null;
}

interface CompiledRoute<Target> {
  readonly method: HttpMethod;
  readonly resource: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly literalSegments: number;
  readonly target: Target;
}

function compile(resource: string): { pattern: RegExp; names: string[]; literalSegments: number } {
  const names: string[] = [];
  let literalSegments = 0;
  const body = resource
    .split('/')
    .filter(Boolean)
    .map((segment) => {
      const greedy = /^\{(\w+)\+\}$/.exec(segment);
      if (greedy?.[1]) {
        names.push(greedy[1]);
        return '(.+)';
      }
      const param = /^\{(\w+)\}$/.exec(segment);
      if (param?.[1]) {
        names.push(param[1]);
        return '([^/]+)';
      }
      literalSegments++;
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { pattern: new RegExp(`^/${body}/?$`), names, literalSegments };
}

export class ApiRouteMatcher<Target> {
  private readonly routes: CompiledRoute<Target>[] = [];

  add(method: HttpMethod, resource: string, target: Target): void {
    if (this.routes.some((route) => route.method === method && route.resource === resource)) {
      throw new Error(`Route ${method} ${resource} is declared twice`);
    }
    this.routes.push({ method, resource, target, ...compile(resource) });
    // Like API Gateway, a literal segment wins over a parameter at the same place.
    this.routes.sort((a, b) => b.literalSegments - a.literalSegments);
  }

  /** `undefined` when nothing matches; `'method-not-allowed'` when the path exists for another method. */
  match(method: string, path: string): RouteMatch<Target> | 'method-not-allowed' | undefined {
    let pathMatched = false;
    for (const route of this.routes) {
      const found = route.pattern.exec(path);
      if (!found) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, index) => {
        params[name] = decodeURIComponent(found[index + 1] ?? '');
      });
      return { target: route.target, resource: route.resource, pathParameters: route.names.length ? params : null };
    }
    return pathMatched ? 'method-not-allowed' : undefined;
  }
}
