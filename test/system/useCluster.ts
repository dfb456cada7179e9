// The cluster of one system test file: started before its tests, stopped after them, with
// every application instance still alive killed first. SYSTEM_KEEP_LOGS=1 keeps the broker
// logs and data of a file whose test failed.
import { afterAll, afterEach, beforeAll } from 'vitest';
import { AppInstance } from './AppInstance';
import { KafkaCluster } from './KafkaCluster';

export function useCluster({ nodes }: { nodes: number }): () => KafkaCluster {
  let cluster: KafkaCluster | undefined;
  beforeAll(async () => {
    cluster = await KafkaCluster.start({ nodes });
  });
  afterEach(({ task }) => {
    if (cluster && task.result?.state === 'fail' && process.env.SYSTEM_KEEP_LOGS === '1') cluster.keepLogs = true;
  });
  afterAll(async () => {
    await AppInstance.killAll();
    await cluster?.stop();
  });
  return () => {
    if (!cluster) throw new Error('the cluster has not started');
    return cluster;
  };
}
