/** Reference topologies: conformance (their TypeScript twins: test/reference/conformance/topologies.ts). */
final class ConformanceTopologies {
  private ConformanceTopologies() {}

  static void register() {}
}
