import { describe, expect, it } from 'vitest';
import { HttpError } from '../src/http/HttpError';
import { json, Router, type Route } from '../src/http/Router';

const ok = (name: string): Route['handler'] => () => json(200, { name });

describe('Router', () => {
  it('matches literal segments and decodes parameters, an encoded slash staying inside its segment', () => {
    const router = new Router().add({ method: 'GET', path: '/stores/:store/keys/:key', handler: ok('key') });
    const found = router.match('GET', '/stores/order%20totals/keys/a%2Fb');
    expect(found).toMatchObject({ kind: 'found', params: { store: 'order totals', key: 'a/b' } });
    expect(router.match('GET', '/stores/x/keys')).toEqual({ kind: 'not-found' });
    expect(router.match('GET', '/stores/x/keys/k/extra')).toEqual({ kind: 'not-found' });
  });

  it('prefers a literal segment over a parameter in the same place', () => {
    const router = new Router().add(
      { method: 'GET', path: '/stores/:store/:query', handler: ok('generic') },
      { method: 'GET', path: '/stores/:store/all', handler: ok('all') },
    );
    const found = router.match('GET', '/stores/s/all');
    expect(found.kind === 'found' && found.route.path).toBe('/stores/:store/all');
    const other = router.match('GET', '/stores/s/range');
    expect(other.kind === 'found' && other.route.path).toBe('/stores/:store/:query');
  });

  it('tells a path served for other methods (405 with the allowed ones) from an unknown one', () => {
    const router = new Router().add({ method: 'GET', path: '/health', handler: ok('health') }, { method: 'DELETE', path: '/health', handler: ok('del') });
    expect(router.match('POST', '/health')).toEqual({ kind: 'wrong-method', allow: ['DELETE', 'GET'] });
    expect(router.match('POST', '/nothing')).toEqual({ kind: 'not-found' });
  });

  it('refuses two routes of the same method and shape, and paths without a leading slash', () => {
    const router = new Router().add({ method: 'GET', path: '/stores/:store', handler: ok('a') });
    expect(() => router.add({ method: 'GET', path: '/stores/:name', handler: ok('b') })).toThrow(/clashes with GET \/stores\/:store/);
    expect(() => router.add({ method: 'GET', path: 'health', handler: ok('c') })).toThrow(/must start with '\/'/);
    // Another method on the same shape is a different route.
    expect(() => router.add({ method: 'DELETE', path: '/stores/:name', handler: ok('d') })).not.toThrow();
  });

  it('answers bad percent-encoding with a 400', () => {
    const router = new Router().add({ method: 'GET', path: '/stores/:store', handler: ok('a') });
    expect(() => router.match('GET', '/stores/%E0%A4%A')).toThrow(HttpError);
    try {
      router.match('GET', '/stores/%E0%A4%A');
    } catch (error) {
      expect((error as HttpError).status).toBe(400);
    }
  });
});
