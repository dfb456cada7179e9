import { StreamsError } from '@tributary/core';

/** Where an instance serves queries (Kafka Streams' `HostInfo`): its advertised `application.server`. */
export interface HostInfo {
  readonly host: string;
  readonly port: number;
}

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?):(\d{1,5})$/;

/** `'host:port'` (an IPv6 host in brackets) -> {@link HostInfo}; anything else is an error naming `what`. */
export function parseHostInfo(endpoint: string, what: string): HostInfo {
  const match = typeof endpoint === 'string' ? HOST_PORT.exec(endpoint) : null;
  const port = match ? Number(match[3]) : 0;
  if (!match || port < 1 || port > 65_535) {
    throw new StreamsError(`${what} must be 'host:port' (an IPv6 host in brackets), e.g. 'orders-1.internal:8080', got '${String(endpoint)}'`);
  }
  const host = match[1]!;
  return { host: host.startsWith('[') ? host.slice(1, -1) : host, port };
}

/** The `host:port` form instances advertise and compare. */
export function formatHostInfo({ host, port }: HostInfo): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
