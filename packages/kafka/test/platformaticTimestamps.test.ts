// @platformatic/kafka writes a record's timestamp as a zigzag varint64 delta from the first
// record of its batch; its buffer library encodes deltas below -2^31 ms wrong. The adapter
// mends the encoder (src/client/platformatic/timestampDeltaFix.ts): deltas of any size
// survive a write and a read.
import { createRecord, readRecord, Reader } from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { mendTimestampDeltas } from '../src/client/platformatic/timestampDeltaFix';

const DAY = 86_400_000n;
const first = 1_323_435_000_000n; // 2011-12-09

function roundTrip(timestamp: bigint): bigint {
  const written = createRecord({ topic: 't', timestamp, value: Buffer.from('v') }, 0, first);
  return first + readRecord(Reader.from(written.buffer)).timestampDelta;
}

describe('record timestamps on @platformatic/kafka', () => {
  it('survive a write and a read whatever their distance from the first record of the batch', () => {
    mendTimestampDeltas();
    mendTimestampDeltas(); // twice is once
    for (const timestamp of [first, first + 1n, first - 1n, first - 2n ** 31n, first - 2n ** 31n - 1n, first - 30n * DAY, first - 300n * DAY, first + 30n * DAY, 0n]) {
      expect(roundTrip(timestamp)).toBe(timestamp);
    }
  });

  it('survive it at the edges of the double arithmetic the encoder uses, and of 64 bits', () => {
    mendTimestampDeltas();
    const edges = [2n ** 52n - 1n, 2n ** 52n, 2n ** 53n + 1n, 2n ** 62n, 2n ** 63n - 1n - first];
    for (const delta of [...edges, ...edges.map((d) => -d), -(2n ** 63n), 127n, 128n, -64n, -65n, 8191n, 8192n]) {
      expect(roundTrip(first + delta) - first).toBe(delta);
    }
  });
});
