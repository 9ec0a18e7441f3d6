// Test classes run in parallel (each has its own databases on the one shared cluster, see PostgresFixture); the few
// that must run alone say so with [Collection(Serial.Name)].
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = false)]
[assembly: Xunit.TestFramework(RaServer.Tests.Fixtures.RaTestFramework.TypeName, RaServer.Tests.Fixtures.RaTestFramework.AssemblyName)]
[assembly: Xunit.TestCollectionOrderer(RaServer.Tests.Fixtures.LongestFirst.TypeName, RaServer.Tests.Fixtures.LongestFirst.AssemblyName)]
