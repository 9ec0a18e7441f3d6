using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace RaServer.Tests.Fixtures;

/// <summary>
/// xUnit's own framework plus one step at the end of the run: the resources that the whole test process shares
/// (<see cref="SharedPostgres"/>, <see cref="Harness.SharedDevPki"/>) are released after the last test class has
/// finished, inside the run, so that a test host that is ended right after the run leaves no PostgreSQL server or
/// files behind. xUnit v2 has no assembly fixtures; this is its documented extension point for them.
/// </summary>
public sealed class RaTestFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    public const string TypeName = "RaServer.Tests.Fixtures.RaTestFramework";
    public const string AssemblyName = "RaServer.Tests";

    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Executor(AssemblyName assemblyName, ISourceInformationProvider sourceInformationProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkExecutor(assemblyName, sourceInformationProvider, diagnosticMessageSink)
    {
        // async void as in XunitTestFrameworkExecutor itself: the runner reports completion through the message sink.
        protected override async void RunTestCases(
            IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        {
            using var runner = new AssemblyRunner(TestAssembly, testCases, DiagnosticMessageSink, executionMessageSink, executionOptions);
            await runner.RunAsync();
        }
    }

    private sealed class AssemblyRunner(
        ITestAssembly testAssembly, IEnumerable<IXunitTestCase> testCases, IMessageSink diagnosticMessageSink,
        IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        : XunitTestAssemblyRunner(testAssembly, testCases, diagnosticMessageSink, executionMessageSink, executionOptions)
    {
        protected override async Task BeforeTestAssemblyFinishedAsync()
        {
            // A failure here is reported as the assembly's cleanup failure.
            await Aggregator.RunAsync(SharedPostgres.StopAsync);
            Aggregator.Run(Harness.SharedDevPki.Delete);
            await base.BeforeTestAssemblyFinishedAsync();
        }
    }
}
