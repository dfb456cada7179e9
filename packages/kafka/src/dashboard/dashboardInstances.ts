import { formatHostInfo } from '../queries/HostInfo';
import type { StreamsMetadata } from '../queries/StreamsMetadata';
import type { DashboardInstance } from './dashboardRoutes';

/**
 * The dashboard's "tasks per instance" from the group assignment's metadata, this instance
 * marked. While the assignment's map is not known (a rebalance), this instance's own tasks
 * stand alone, so the page shows what runs here rather than nothing.
 */
export function dashboardInstances(
  metadata: readonly StreamsMetadata[],
  self: string | undefined,
  local: { readonly tasks: readonly string[]; readonly partitions: readonly { readonly topic: string; readonly partition: number }[] },
): DashboardInstance[] {
  const partition = (p: { topic: string; partition: number }) => `${p.topic}-${p.partition}`;
  if (metadata.length === 0) {
    if (local.tasks.length === 0) return [];
    return [{ endpoint: self ?? 'this instance', self: true, tasks: local.tasks, partitions: local.partitions.map(partition), stores: [] }];
  }
  return metadata
    .map((m) => {
      const endpoint = formatHostInfo(m.hostInfo);
      return { endpoint, self: endpoint === self, tasks: [...m.taskIds].sort(), partitions: m.topicPartitions.map(partition).sort(), stores: [...m.stateStoreNames].sort() };
    })
    .sort((a, b) => (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0));
}
