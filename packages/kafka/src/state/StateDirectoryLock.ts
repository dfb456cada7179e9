import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { StreamsError } from '@tributary/core';

/**
 * The lock on an application's state directory (`<stateDir>/<applicationId>/.lock`): one
 * instance at a time may keep stores there, as Kafka Streams locks its `state.dir`. The
 * lock file is created exclusively and holds the owner's process id; a lock whose process is
 * gone (it was killed) is stale and taken over. A second instance gets a {@link StreamsError}
 * naming the directory and the owner.
 */
export class StateDirectoryLock {
  private constructor(readonly file: string) {}

  static acquire(directory: string): StateDirectoryLock {
    mkdirSync(directory, { recursive: true });
    const file = join(directory, '.lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(file, 'wx');
        writeSync(fd, `${process.pid}\n`);
        closeSync(fd);
        return new StateDirectoryLock(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new StreamsError(`cannot lock the state directory ${directory}: ${(error as Error).message}`, { cause: error });
        const owner = lockOwner(file);
        if (owner !== undefined && processAlive(owner)) {
          const who = owner === process.pid ? 'another KafkaStreams instance in this process' : `process ${owner}`;
          throw new StreamsError(
            `the state directory ${directory} is locked by ${who}: two instances cannot share a stateDir; give each instance its own stateDir, or close the other one first`,
          );
        }
        // Stale: its owner died without releasing it.
        rmSync(file, { force: true });
      }
    }
    throw new StreamsError(`cannot lock the state directory ${directory}: another process keeps taking it`);
  }

  release(): void {
    if (lockOwner(this.file) === process.pid) rmSync(this.file, { force: true });
  }
}

function lockOwner(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
