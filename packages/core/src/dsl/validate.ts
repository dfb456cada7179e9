import { TopologyError } from '../errors';

/** Fails at build time, naming the operation, when a callback is not a function. */
export function checkFunction(value: unknown, operation: string, argument: string): void {
  if (typeof value !== 'function') throw new TopologyError(`${operation}: ${argument} must be a function, got ${value === null ? 'null' : typeof value}`);
}
