namespace CaConnector.Tests;

public class ProjectSanityTests
{
    [Fact]
    public void The_connector_assembly_does_not_reference_the_server_or_the_database()
    {
        var references = typeof(CaConnectorAssemblyMarker).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.DoesNotContain("RaServer", references);
        Assert.DoesNotContain("Npgsql", references);
        Assert.DoesNotContain(references, r => r!.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }
}
