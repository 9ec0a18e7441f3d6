using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Npgsql;
using RaServer.Domain;
using RaServer.Hosting;
using RaServer.Policy;
using RaServer.Tests.Fixtures;

namespace RaServer.Tests.Audit;

/// <summary>
/// `RaServer audit verify` on a log made through the API and then tampered with directly in PostgreSQL, one kind of
/// tampering per database: it names exactly the row that was changed, removed or inserted, and exits non-zero; the
/// untouched log verifies clean. Exports verify offline, and a tampered export does not.
/// </summary>
public sealed class AuditVerifyTests(SealedAuditLog log) : IClassFixture<SealedAuditLog>
{
    [Fact]
    public async Task An_untouched_log_verifies_clean_in_process_and_as_the_real_RaServer_process()
    {
        var database = await log.CopyAsync();

        var inProcess = await log.AuditAsync(database, "verify");
        var real = await log.AuditProcessAsync(database, "verify");

        Assert.True(inProcess.Exit == AuditCommand.Intact, inProcess.Error);
        Assert.Contains($"{SealedAuditLog.Rows} row(s) chained, last signed checkpoint at position {SealedAuditLog.Rows}", inProcess.Output);
        Assert.True(real.Exit == AuditCommand.Intact, real.Error + real.Output);
        Assert.Contains($"{SealedAuditLog.Rows} row(s) chained", real.Output);
    }

    [Fact]
    public async Task A_row_whose_detail_was_updated_is_reported_as_changed_at_its_position()
    {
        var database = await log.CopyAsync();
        var id = await ExecuteAsync(database, """
            UPDATE audit_log SET detail = '{"serial": "forged"}' WHERE chain_position = 3 RETURNING id
            """);

        var result = await log.AuditAsync(database, "verify");

        Assert.Equal(AuditCommand.Tampered, result.Exit);
        Assert.Equal($"Changed position=3 id={id}", result.Output.Trim());
        Assert.Contains("row CHANGED at position 3", result.Error);
    }

    [Fact]
    public async Task A_deleted_row_is_reported_as_removed_at_its_position_and_so_is_a_cut_off_end()
    {
        var middle = await log.CopyAsync();
        await ExecuteAsync(middle, "DELETE FROM audit_log WHERE chain_position = 4 RETURNING id");
        var end = await log.CopyAsync();
        await ExecuteAsync(end, $"DELETE FROM audit_log WHERE chain_position = {SealedAuditLog.Rows} RETURNING id");

        var fromMiddle = await log.AuditAsync(middle, "verify");
        var fromEnd = await log.AuditProcessAsync(end, "verify");

        Assert.Equal(AuditCommand.Tampered, fromMiddle.Exit);
        Assert.Equal("Removed position=4 id=-", fromMiddle.Output.Trim());
        Assert.Equal(AuditCommand.Tampered, fromEnd.Exit);
        Assert.Equal($"Removed position={SealedAuditLog.Rows} id=-", fromEnd.Output.Trim());
    }

    [Fact]
    public async Task A_forged_row_inserted_with_plausible_chain_fields_is_reported_as_inserted_at_its_position()
    {
        var database = await log.CopyAsync();
        await using var connection = new NpgsqlConnection(database);
        var before = await connection.QuerySingleAsync<byte[]>("SELECT row_hash FROM audit_log WHERE chain_position = 2");
        // Make room at position 3 (in two steps: the positions are unique), then put a row there that links to
        // position 2 and whose own hash is right: everything the forger can compute without the signing key.
        await connection.ExecuteAsync("UPDATE audit_log SET chain_position = -chain_position WHERE chain_position >= 3");
        await connection.ExecuteAsync("UPDATE audit_log SET chain_position = 1 - chain_position WHERE chain_position < 0");
        var id = await connection.ExecuteScalarAsync<long>("""
            INSERT INTO audit_log (occurred_at, actor, rpc, outcome, detail)
            VALUES (now(), 'client:officer-AA/clerk:clerk-1', '/customs.ra.v1.CustomsOffice/RecordMandate', 'OK', '{"nationalId": "B223456789"}')
            RETURNING id
            """);
        var forged = await connection.QuerySingleAsync<(DateTime At, string Actor, string Rpc, string Detail)>(
            "SELECT occurred_at, actor, rpc, detail::text FROM audit_log WHERE id = @id", new { id });
        var hash = AuditHash.OfRow(3, new UnsealedAuditRow(id, new DateTimeOffset(DateTime.SpecifyKind(forged.At, DateTimeKind.Utc)),
            forged.Actor, forged.Rpc, "OK", null, forged.Detail, null), before);
        await connection.ExecuteAsync("UPDATE audit_log SET chain_position = 3, prev_hash = @before, row_hash = @hash WHERE id = @id",
            new { before, hash, id });

        var result = await log.AuditAsync(database, "verify");

        Assert.Equal(AuditCommand.Tampered, result.Exit);
        Assert.Equal($"Inserted position=3 id={id}", result.Output.Trim());
    }

    [Fact]
    public async Task An_export_verifies_offline_and_a_row_changed_in_the_file_fails_offline_verification()
    {
        var database = await log.CopyAsync();
        var folder = Directory.CreateTempSubdirectory("ra-audit-export-").FullName;
        try
        {
            var file = Path.Combine(folder, "export.json");
            var from = log.StartedAt.AddMinutes(-1).ToString("o");
            var to = log.StartedAt.AddHours(1).ToString("o");

            var export = await log.AuditAsync(database, "export", "--from", from, "--to", to, "--out", file);
            await SharedPostgres.DropDatabaseAsync(database); // offline: the database is gone
            var clean = await log.AuditAsync("Host=127.0.0.1;Port=1;Database=gone", "verify", "--file", file);
            var document = JsonNode.Parse(await File.ReadAllTextAsync(file))!;
            document["rows"]![4]!["detail"] = """{"message": "nothing was refused"}""";
            await File.WriteAllTextAsync(file, document.ToJsonString());
            var tampered = await log.AuditAsync("Host=127.0.0.1;Port=1;Database=gone", "verify", "--file", file);

            Assert.True(export.Exit == AuditCommand.Intact, export.Error);
            Assert.True(clean.Exit == AuditCommand.Intact, clean.Error);
            Assert.Contains($"positions 1–{SealedAuditLog.Rows}", clean.Output);
            Assert.Equal(AuditCommand.Tampered, tampered.Exit);
            Assert.StartsWith("Changed position=5 id=", tampered.Output.Trim());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_checkpoint_whose_signature_was_replaced_is_reported_invalid()
    {
        var database = await log.CopyAsync();
        await ExecuteAsync(database, """
            UPDATE audit_checkpoints SET signature = decode(md5('forged'), 'hex') WHERE chain_position = 5 RETURNING chain_position
            """);

        var result = await log.AuditAsync(database, "verify");

        Assert.Equal(AuditCommand.Tampered, result.Exit);
        Assert.Equal("CheckpointInvalid position=5 id=-", result.Output.Trim());
    }

    private static async Task<long> ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<long>(sql);
    }
}
