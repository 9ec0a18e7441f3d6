namespace CaConnector;

/// <summary>Names this assembly in tests that check its dependency arrows (docs/ARCHITECTURE.md §5).</summary>
public static class CaConnectorAssemblyMarker;
