using Dapper;
using Npgsql;
using RaServer.Storage;
using RaServer.Tests.Fixtures;

namespace RaServer.Tests.Storage;

/// <summary>Migration 0019 on a database that already holds applications: what the rows stored before it carry.</summary>
public sealed class RegisteredOfficeMigrationTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IDisposable
{
    private const int Version = 19;
    private readonly string folder = Directory.CreateTempSubdirectory("ra-migrations-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task Online_applications_stored_before_it_get_their_operators_office_and_paper_ones_none()
    {
        await using var db = NpgsqlDataSource.Create(await postgres.CreateEmptyDatabaseAsync());
        var files = Directory.GetFiles(Migrator.DefaultFolder, "*.sql");
        CopyWhere(files, name => int.Parse(name[..4]) < Version);
        await Migrator.MigrateAsync(db, folder, null, CancellationToken.None);
        var online = Guid.NewGuid();
        var paper = Guid.NewGuid();
        var unknownOperator = Guid.NewGuid();
        await using (var connection = await db.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO operators (ubn, name, kind, customs_office_code, box_number, status, updated_at)
                VALUES ('04595252', '測試報關股份有限公司', 'CUSTOMS_BROKER', 'CA', '207/0', 'ACTIVE', now())
                """);
            foreach (var (id, channel, ubn) in new[] { (online, "ONLINE", "04595252"), (paper, "PAPER", "04595252"), (unknownOperator, "ONLINE", "04595257") })
                await connection.ExecuteAsync(
                    """
                    INSERT INTO applications (id, request_id, channel, service_type, kind, state, applicant_ubn, applicant_name,
                        subject_name, subject_ubn, notice_email, receiving_office_code, clerk_id, seals_checked, created_at, updated_at)
                    VALUES (@id, @id::text, @channel, 'NEW', 'ORGANIZATION', 'RECEIVED', @ubn, 'firm', 'firm', @ubn, 'a@example.test',
                        CASE WHEN @channel = 'PAPER' THEN 'AA' END, CASE WHEN @channel = 'PAPER' THEN 'clerk' END,
                        CASE WHEN @channel = 'PAPER' THEN true END, now(), now())
                    """,
                    new { id, channel, ubn });
        }

        CopyWhere(files, name => int.Parse(name[..4]) == Version);
        var applied = await Migrator.MigrateAsync(db, folder, null, CancellationToken.None);

        Assert.Equal([Version], applied.Select(a => a.Version));
        await using var check = await db.OpenConnectionAsync();
        var offices = (await check.QueryAsync<(Guid Id, string? Office)>("SELECT id, registered_office_code FROM applications"))
            .ToDictionary(r => r.Id, r => r.Office);
        Assert.Equal("CA", offices[online]);
        Assert.Null(offices[paper]);
        Assert.Null(offices[unknownOperator]);
        var refusal = await Assert.ThrowsAsync<PostgresException>(() => check.ExecuteAsync(
            "UPDATE applications SET registered_office_code = 'CA' WHERE id = @paper", new { paper }));
        Assert.Equal("applications_registered_office_online_only", refusal.ConstraintName);
    }

    private void CopyWhere(string[] files, Func<string, bool> keep)
    {
        foreach (var file in files.Where(f => keep(Path.GetFileName(f))))
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
    }
}
