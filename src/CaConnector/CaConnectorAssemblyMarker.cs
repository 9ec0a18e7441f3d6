namespace CaConnector;

/// <summary>Names this assembly in tests that check its dependency arrows (DESIGN.md §5).</summary>
public static class CaConnectorAssemblyMarker;
