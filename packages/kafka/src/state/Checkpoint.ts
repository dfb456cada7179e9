import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { StreamsError } from '@tributary/core';
import { partitionKey } from '../client/StreamsClient';

/** A changelog partition and the offset up to which (exclusive) a store holds its records. */
export interface CheckpointOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

const VERSION = 0;

/**
 * A task's `.checkpoint` file (Kafka Streams' `OffsetCheckpoint`): for each changelog
 * partition of its persistent stores, the offset its store holds every record before.
 * Text, one `<topic> <partition> <offset>` line each after a version and a count line.
 * Written atomically (a temporary file, fsync, rename), so a crash leaves the old file or
 * the new one, never half of one.
 */
export class Checkpoint {
  readonly file: string;

  constructor(taskDirectory: string) {
    this.file = join(taskDirectory, '.checkpoint');
  }

  /** The offsets, by `partitionKey(topic, partition)`; empty when there is no file. */
  read(): Map<string, number> {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw error;
    }
    const [version, count, ...lines] = text.split('\n').filter((l) => l.length > 0);
    if (Number(version) !== VERSION || Number(count) !== lines.length) throw new StreamsError(`the checkpoint file ${this.file} is not one this version writes (version ${version}, ${count} entries, ${lines.length} lines)`);
    const offsets = new Map<string, number>();
    for (const line of lines) {
      const parts = line.split(' ');
      const [topic, partition, offset] = [parts.slice(0, -2).join(' '), Number(parts.at(-2)), Number(parts.at(-1))];
      if (!topic || !Number.isInteger(partition) || !Number.isInteger(offset)) throw new StreamsError(`the checkpoint file ${this.file} has a bad line: '${line}'`);
      offsets.set(partitionKey(topic, partition), offset);
    }
    return offsets;
  }

  exists(): boolean {
    try {
      readFileSync(this.file);
      return true;
    } catch {
      return false;
    }
  }

  write(offsets: readonly CheckpointOffset[]): void {
    const temporary = `${this.file}.tmp`;
    const text = [String(VERSION), String(offsets.length), ...offsets.map((o) => `${o.topic} ${o.partition} ${o.offset}`)].join('\n') + '\n';
    const fd = openSync(temporary, 'w');
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, this.file);
  }

  delete(): void {
    rmSync(this.file, { force: true });
  }
}
