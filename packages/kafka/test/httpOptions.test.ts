import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../src/KafkaStreamsOptions';

const base = { applicationId: 'app', brokers: 'localhost:9092' };

describe('the http and applicationServer options', () => {
  it('default to no server and no advertised endpoint', () => {
    const resolved = resolveOptions(base);
    expect(resolved.http).toBeUndefined();
    expect(resolved.applicationServer).toBeUndefined();
  });

  it('fill in the host and the dashboard, and accept port 0 (any free port)', () => {
    expect(resolveOptions({ ...base, http: { port: 0 } }).http).toEqual({ port: 0, host: '0.0.0.0', dashboard: true });
    expect(resolveOptions({ ...base, http: { port: 0, dashboard: false } }).http).toEqual({ port: 0, host: '0.0.0.0', dashboard: false });
    expect(resolveOptions({ ...base, http: { port: 8080, host: '127.0.0.1' }, applicationServer: '[::1]:8080' })).toMatchObject({ http: { port: 8080, host: '127.0.0.1' }, applicationServer: '[::1]:8080' });
  });

  it('name what is wrong, with the closest option for a typo', () => {
    expect(() => resolveOptions({ ...base, htpp: { port: 1 } } as never)).toThrow("unknown option 'htpp' in KafkaStreams options: did you mean 'http'?");
    expect(() => resolveOptions({ ...base, http: { prot: 8080 } } as never)).toThrow("unknown option 'prot' in the http option: did you mean 'port'?");
    expect(() => resolveOptions({ ...base, http: { port: 70_000 } })).toThrow('http.port must be a port number from 0 to 65535 (0: any free port), got 70000');
    expect(() => resolveOptions({ ...base, http: { port: '8080' } } as never)).toThrow('http.port must be a port number');
    expect(() => resolveOptions({ ...base, http: { port: 1, dashboard: 'no' } } as never)).toThrow('http.dashboard must be true or false, got no');
    expect(() => resolveOptions({ ...base, applicationServer: 'orders-1' })).toThrow("applicationServer must be 'host:port' (an IPv6 host in brackets), e.g. 'orders-1.internal:8080', got 'orders-1'");
    expect(() => resolveOptions({ ...base, applicationServer: 'orders-1:0' })).toThrow('applicationServer must be');
  });

  it("take 'host:0' with an HTTP server: that host, with the port the server binds", () => {
    expect(resolveOptions({ ...base, http: { port: 0 }, applicationServer: 'orders-1.internal:0' }).applicationServer).toBe('orders-1.internal:0');
    expect(resolveOptions({ ...base, http: { port: 0 }, applicationServer: '[::1]:0' }).applicationServer).toBe('[::1]:0');
    expect(() => resolveOptions({ ...base, http: { port: 0 }, applicationServer: ':0' })).toThrow('applicationServer must be');
  });
});
