using Npgsql;
using RaServer.Tests.CaFaults;

namespace RaServer.Tests.Faults;

/// <summary>The ways the CA fails that issue 12 lists, each made for real in either CA setup.</summary>
public enum CaFaultKind
{
    /// <summary>Nothing answers: over CMP the CA's port refuses connections; the embedded CA's store table is gone.</summary>
    Unreachable,

    /// <summary>
    /// Slower than the RA waits: over CMP each request reaches the CA only after the attempt timeout (so the CA issues
    /// after the RA gave up); the embedded CA, which has no timeout, is blocked behind a lock for longer than a lease.
    /// </summary>
    Slow,

    /// <summary>Over CMP the CA answers HTTP 503; the embedded CA's store answers errors.</summary>
    ServiceUnavailable,

    /// <summary>Over CMP the CA answers HTTP 500, after which the RA cannot tell what the CA did.</summary>
    InternalServerError,

    /// <summary>
    /// The unknown outcome: the CA issues but the RA never learns it. Over CMP the CA's answer is held until the RA
    /// gives up; with the embedded CA the CA commits its certificate and the RA's commit of the answer fails.
    /// </summary>
    AnswerLost,
}

/// <summary>Makes a <see cref="CaFaultKind"/> on a <see cref="FaultBed"/>: through its relay over CMP, in PostgreSQL for the embedded CA.</summary>
public static class CaFaultKinds
{
    public static Fault For(FaultBed bed, CaFaultKind kind) => bed.Ca == CaSetup.Cmp ? OverCmp(bed.Relay, kind) : Embedded(bed.ConnectionString, kind);

    private static Fault OverCmp(CaRelay relay, CaFaultKind kind)
    {
        var name = $"cmp-{kind}";
        return kind switch
        {
            CaFaultKind.Unreachable => Fault.Of(name, relay.Close, relay.Open),
            CaFaultKind.Slow => Scripted(name, relay, RelayFault.SlowForward, r => r.SlowDelay = FaultBed.AttemptTimeout * 2),
            CaFaultKind.ServiceUnavailable => Scripted(name, relay, RelayFault.ServiceUnavailable),
            CaFaultKind.InternalServerError => Scripted(name, relay, RelayFault.InternalServerError),
            CaFaultKind.AnswerLost => Scripted(name, relay, RelayFault.ForwardThenHang),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    private static Fault Scripted(string name, CaRelay relay, RelayFault fault, Action<CaRelay>? prepare = null) =>
        Fault.Of(name, () =>
        {
            prepare?.Invoke(relay);
            relay.Fault = fault;
        }, () => relay.Fault = RelayFault.None);

    /// <summary>
    /// The embedded CA runs in the RA's process on the RA's database, so there is no line to cut: its faults are its
    /// store's, made on its table (embedded_ca_certificates) while the rest of the RA works on.
    /// </summary>
    private static Fault Embedded(string connectionString, CaFaultKind kind)
    {
        var name = kind is CaFaultKind.ServiceUnavailable or CaFaultKind.InternalServerError ? "embedded-StoreErrors" : $"embedded-{kind}";
        return kind switch
        {
            CaFaultKind.Unreachable => Sql(name, connectionString,
                "ALTER TABLE embedded_ca_certificates RENAME TO embedded_ca_certificates_away",
                "ALTER TABLE embedded_ca_certificates_away RENAME TO embedded_ca_certificates"),
            CaFaultKind.Slow => HeldLock(name, connectionString),
            CaFaultKind.ServiceUnavailable or CaFaultKind.InternalServerError => Sql(name, connectionString,
                """
                CREATE FUNCTION fault_ca_store_fails() RETURNS trigger LANGUAGE plpgsql AS
                $$ BEGIN RAISE EXCEPTION 'fault test: the CA store is failing' USING ERRCODE = 'XX000'; END $$;
                CREATE TRIGGER fault_ca_store_fails BEFORE INSERT ON embedded_ca_certificates
                    FOR EACH ROW EXECUTE FUNCTION fault_ca_store_fails();
                """,
                "DROP TRIGGER fault_ca_store_fails ON embedded_ca_certificates; DROP FUNCTION fault_ca_store_fails();"),
            // The CA's commit is its own (its certificate stays); the RA's commit of what it answered fails.
            CaFaultKind.AnswerLost => Sql(name, connectionString,
                """
                CREATE FUNCTION fault_ra_record_lost() RETURNS trigger LANGUAGE plpgsql AS
                $$ BEGIN RAISE EXCEPTION 'fault test: the RA''s record of the CA''s answer is lost' USING ERRCODE = 'XX000'; END $$;
                CREATE TRIGGER fault_ra_record_lost BEFORE INSERT ON certificates
                    FOR EACH ROW EXECUTE FUNCTION fault_ra_record_lost();
                """,
                "DROP TRIGGER fault_ra_record_lost ON certificates; DROP FUNCTION fault_ra_record_lost();"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    private static Fault Sql(string name, string connectionString, string begin, string end) =>
        new(name, () => ExecuteAsync(connectionString, begin), () => ExecuteAsync(connectionString, end));

    /// <summary>An open transaction holding the CA table's ACCESS EXCLUSIVE lock: every CA call waits until it ends.</summary>
    private static Fault HeldLock(string name, string connectionString)
    {
        NpgsqlConnection? connection = null;
        NpgsqlTransaction? transaction = null;
        return new Fault(name, async () =>
        {
            connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            transaction = await connection.BeginTransactionAsync();
            await using var command = new NpgsqlCommand("LOCK TABLE embedded_ca_certificates IN ACCESS EXCLUSIVE MODE", connection, transaction);
            await command.ExecuteNonQueryAsync();
        }, async () =>
        {
            await transaction!.RollbackAsync();
            await connection!.DisposeAsync();
        });
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
