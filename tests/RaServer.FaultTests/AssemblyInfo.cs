// The fault classes run in parallel: each has its own PostgreSQL cluster and its own replicas. RaTestFramework (of
// RaServer.Tests) deletes the shared dev PKI after the last test, as it does there.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = false)]
[assembly: Xunit.TestFramework(RaServer.Tests.Fixtures.RaTestFramework.TypeName, RaServer.Tests.Fixtures.RaTestFramework.AssemblyName)]
