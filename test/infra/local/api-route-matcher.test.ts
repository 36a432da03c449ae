import { describe, expect, it } from 'vitest';
import { ApiRouteMatcher } from '../../../infra/local/api-route-matcher.ts';

describe('ApiRouteMatcher', () => {
  const matcher = new ApiRouteMatcher<string>();
  matcher.add('GET', '/v1/drafts/{draftId}', 'get-draft');
  matcher.add('GET', '/v1/drafts/pending', 'list-pending');
  matcher.add('POST', '/v1/drafts', 'create-draft');
  matcher.add('GET', '/v1/files/{path+}', 'files');

  it('extracts path parameters, decoding them', () => {
    expect(matcher.match('GET', '/v1/drafts/a%20b')).toEqual({
      target: 'get-draft',
      resource: '/v1/drafts/{draftId}',
      pathParameters: { draftId: 'a b' },
    });
  });

  it('prefers a literal segment over a parameter, as API Gateway does', () => {
    expect(matcher.match('GET', '/v1/drafts/pending')).toMatchObject({ target: 'list-pending', pathParameters: null });
  });

  it('matches greedy parameters across slashes', () => {
    expect(matcher.match('GET', '/v1/files/a/b/c.txt')).toMatchObject({ pathParameters: { path: 'a/b/c.txt' } });
  });

  it('tells a wrong method from an unknown path', () => {
    expect(matcher.match('DELETE', '/v1/drafts')).toBe('method-not-allowed');
    expect(matcher.match('GET', '/v2/drafts')).toBeUndefined();
    expect(matcher.match('GET', '/v1/drafts/a/b')).toBeUndefined();
  });

  it('refuses a route declared twice', () => {
    expect(() => matcher.add('POST', '/v1/drafts', 'again')).toThrow(/declared twice/);
  });
});
