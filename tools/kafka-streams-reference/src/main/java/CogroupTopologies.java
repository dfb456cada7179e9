/** Reference topologies: cogroup (their TypeScript twins: test/reference/cogroup/topologies.ts). */
final class CogroupTopologies {
  private CogroupTopologies() {}

  static void register() {}
}
