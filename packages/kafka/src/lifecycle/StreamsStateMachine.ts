import { StreamsError, type StreamsState } from '@tributary/core';

/** Kafka Streams' state transitions (`KafkaStreams.State`), with ERROR final until `close()` has cleaned up. */
const NEXT: Record<StreamsState, readonly StreamsState[]> = {
  CREATED: ['REBALANCING', 'PENDING_SHUTDOWN', 'ERROR'],
  REBALANCING: ['RUNNING', 'REBALANCING', 'PENDING_SHUTDOWN', 'ERROR'],
  RUNNING: ['REBALANCING', 'PENDING_SHUTDOWN', 'ERROR'],
  PENDING_SHUTDOWN: ['NOT_RUNNING'],
  NOT_RUNNING: [],
  ERROR: [],
};

/** The application's state; every change is reported to `onChange`. */
export class StreamsStateMachine {
  private current: StreamsState = 'CREATED';

  constructor(private readonly onChange: (from: StreamsState, to: StreamsState) => void) {}

  get state(): StreamsState {
    return this.current;
  }

  /** Moves to `to` if that is a legal next state; returns whether it moved. */
  transition(to: StreamsState): boolean {
    const from = this.current;
    if (from === to || !NEXT[from].includes(to)) return false;
    this.current = to;
    this.onChange(from, to);
    return true;
  }

  /** Like {@link transition}, but an illegal move is an error. */
  require(to: StreamsState, action: string): void {
    if (!this.transition(to)) throw new StreamsError(`cannot ${action} in state ${this.current}`);
  }

  isOneOf(...states: StreamsState[]): boolean {
    return states.includes(this.current);
  }
}
