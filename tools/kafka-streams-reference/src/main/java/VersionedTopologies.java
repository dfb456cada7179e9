/** Reference topologies: versioned (their TypeScript twins: test/reference/versioned/topologies.ts). */
final class VersionedTopologies {
  private VersionedTopologies() {}

  static void register() {}
}
