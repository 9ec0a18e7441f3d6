namespace RaServer.Tests.Contract;

public class BufLintTests
{
    [Fact]
    public async Task The_contract_passes_buf_lint()
    {
        var result = await BufCli.RunAsync(RepositoryLayout.Root, "lint");

        Assert.True(result.ExitCode == 0, $"buf lint failed (exit {result.ExitCode}):\n{result.Output}");
    }

    [Fact]
    public async Task Buf_lint_catches_an_uncommented_message_in_a_copy_of_the_contract()
    {
        // Proves the lint test above can fail: the configuration really reaches protos/ and
        // enforces comments, so a clean run of it means something.
        var copy = Directory.CreateTempSubdirectory("ra-buf-lint-");
        try
        {
            File.Copy(Path.Combine(RepositoryLayout.Root, "buf.yaml"), Path.Combine(copy.FullName, "buf.yaml"));
            var protoDir = Path.Combine(copy.FullName, "protos", "customs", "ra", "v1");
            Directory.CreateDirectory(protoDir);
            foreach (var proto in Directory.GetFiles(Path.Combine(RepositoryLayout.Root, "protos", "customs", "ra", "v1"), "*.proto"))
                File.Copy(proto, Path.Combine(protoDir, Path.GetFileName(proto)));
            await File.AppendAllTextAsync(Path.Combine(protoDir, "common.proto"),
                "\nmessage UndocumentedThing {\n  string value = 1;\n}\n");

            var result = await BufCli.RunAsync(copy.FullName, "lint");

            Assert.True(result.ExitCode != 0, "buf lint accepted an uncommented message.");
            Assert.Contains("UndocumentedThing", result.Output);
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }
}
