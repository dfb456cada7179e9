import { ErrorHandlers, Serdes, silentLogger } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { StreamThreads, type StreamThreadsOptions } from '../src';
import { resolveThreadsOptions, threadOptions } from '../src/threads/StreamThreadsOptions';

const base: StreamThreadsOptions = { applicationId: 'orders', brokers: 'localhost:9092', topologyModule: './topology.js', logger: silentLogger };

describe('StreamThreads options', () => {
  it('default to one thread, the default export, a client id for the process, and the module as a file URL', () => {
    const resolved = resolveThreadsOptions(base);
    expect(resolved).toMatchObject({ numStreamThreads: 1, topologyExport: 'default', threadImports: [], handleSignals: true, http: undefined });
    expect(resolved.topologyModule).toBe(new URL(`file://${process.cwd()}/topology.js`).href);
    expect(resolved.clientId).toMatch(/^orders-[0-9a-f]{8}$/);
    expect(resolveThreadsOptions({ ...base, topologyModule: new URL('file:///srv/app/topology.js') }).topologyModule).toBe('file:///srv/app/topology.js');
  });

  it('name each thread after the client id, and give each its own part of the state directory', () => {
    const resolved = resolveThreadsOptions({ ...base, clientId: 'orders-1', stateDir: '/var/lib/orders', numStreamThreads: 2 });
    expect(threadOptions(resolved, 'orders-1-StreamThread-2', 2)).toMatchObject({ clientId: 'orders-1-StreamThread-2', stateDir: '/var/lib/orders/thread-2', applicationId: 'orders' });
    expect(threadOptions(resolveThreadsOptions(base), 'x-StreamThread-1', 1)).not.toHaveProperty('stateDir');
  });

  it('refuse what cannot cross to a worker thread, saying where it goes instead', () => {
    expect(() => new StreamThreads({ ...base, defaultValueSerde: Serdes.json() } as never)).toThrow(
      "StreamThreads option 'defaultValueSerde' cannot be sent to a stream thread (a worker thread): return it from the topology module instead, as { topology, options: { defaultValueSerde } }",
    );
    expect(() => new StreamThreads({ ...base, processingErrorHandler: ErrorHandlers.logAndContinue() } as never)).toThrow("option 'processingErrorHandler' cannot be sent");
    expect(() => new StreamThreads({ ...base, client: {} } as never)).toThrow("option 'client' must be 'kafkajs' or 'platformatic'");
    expect(() => new StreamThreads({ ...base, consumer: { onSomething: () => 1 } } as never)).toThrow("option 'consumer' cannot be sent to a stream thread");
    expect(() => new StreamThreads({ ...base, http: { port: 0, dashboard: true } })).toThrow('StreamThreads does not serve the dashboard');
  });

  it('check the thread count, the module and every KafkaStreams option before any thread starts', () => {
    expect(() => new StreamThreads({ ...base, numStreamThreads: 0 })).toThrow('numStreamThreads must be an integer from 1 to 64, got 0');
    expect(() => new StreamThreads({ ...base, numStreamThreads: 1.5 })).toThrow('numStreamThreads must be an integer');
    expect(() => new StreamThreads({ ...base, topologyModule: '' })).toThrow('topologyModule is required');
    expect(() => new StreamThreads({ ...base, topologyExport: '' })).toThrow('topologyExport must name an export');
    expect(() => new StreamThreads({ ...base, commitIntervalMs: -1 })).toThrow('commitIntervalMs');
    expect(() => new StreamThreads({ ...base, comitIntervalMs: 5 } as never)).toThrow("unknown option 'comitIntervalMs'");
  });

  it('close before start, and refuse a second start', async () => {
    const app = new StreamThreads(base);
    await app.close();
    expect(app.state).toBe('NOT_RUNNING');
    await expect(app.start()).rejects.toThrow('start() was already called');
  });
});
