/** Reference topologies: process (their TypeScript twins: test/reference/process/topologies.ts). */
final class ProcessTopologies {
  private ProcessTopologies() {}

  static void register() {}
}
