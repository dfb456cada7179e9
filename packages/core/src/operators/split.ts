import type { OperatorFactory } from '../graph/GraphNode';
import { recordOperator } from './operatorInternals';

interface Choice {
  branch: number;
}

/**
 * The splitter of `split()`: picks the first branch whose predicate matches (the default
 * branch when none does, or no branch at all) and forwards the record; each branch node
 * then lets through only the records chosen for it. Predicates run once per record.
 */
export function splitRecords(splitter: string, predicates: readonly ((key: unknown, value: unknown) => boolean)[], hasDefault: () => boolean): OperatorFactory {
  return recordOperator((context, emit) => {
    const choice = context.shared<Choice>(splitter, () => ({ branch: -1 }));
    return (record) => {
      let branch = predicates.findIndex((predicate) => predicate(record.key, record.value));
      if (branch < 0 && hasDefault()) branch = predicates.length;
      if (branch < 0) return;
      choice.branch = branch;
      try {
        emit(record);
      } finally {
        choice.branch = -1;
      }
    };
  });
}

/** One branch of a `split()`: passes the records its splitter chose for branch `index`. */
export function splitBranch(splitter: string, index: number): OperatorFactory {
  return recordOperator((context, emit) => {
    const choice = context.shared<Choice>(splitter, () => ({ branch: -1 }));
    return (record) => {
      if (choice.branch === index) emit(record);
    };
  });
}
