using Dapper;
using Npgsql;
using RaServer.Domain;

namespace RaServer.Storage;

/// <summary>The government PKI certificates registered for Single Window use (migration 0015).</summary>
public sealed class GovernmentCertificateStore(NpgsqlConnection connection, NpgsqlTransaction? tx)
{
    internal const string Columns = """
        g.sha256 AS Sha256, g.der AS Der, g.authority AS Authority, g.issuer_dn AS IssuerDn, g.issuer_key_id AS IssuerKeyId,
        g.serial_hex AS SerialHex, g.subject_dn AS SubjectDn, g.holder_kind AS HolderKind, g.holder_ubn AS HolderUbn,
        g.holder_national_id AS HolderNationalId, g.holder_name AS HolderName, g.not_before AS NotBefore, g.not_after AS NotAfter,
        g.registered_firm_ubn AS RegisteredFirmUbn, g.registered_at AS RegisteredAt
        """;

    /// <summary>
    /// Registers the certificate, or moves its registration to the firm of <paramref name="row"/>. Registering it
    /// again for the same firm keeps the first registration time.
    /// </summary>
    public Task RegisterAsync(GovernmentCertificateRow row, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO government_certificates (sha256, der, authority, issuer_dn, issuer_key_id, serial_hex, subject_dn,
                holder_kind, holder_ubn, holder_national_id, holder_name, not_before, not_after, registered_firm_ubn, registered_at)
            VALUES (@Sha256, @Der, @authority, @IssuerDn, @IssuerKeyId, @SerialHex, @SubjectDn,
                @holderKind, @HolderUbn, @HolderNationalId, @HolderName, @NotBefore, @NotAfter, @RegisteredFirmUbn, @RegisteredAt)
            ON CONFLICT (sha256) DO UPDATE SET
                holder_national_id = EXCLUDED.holder_national_id, holder_name = EXCLUDED.holder_name,
                registered_firm_ubn = EXCLUDED.registered_firm_ubn,
                registered_at = CASE WHEN government_certificates.registered_firm_ubn = EXCLUDED.registered_firm_ubn
                                     THEN government_certificates.registered_at ELSE EXCLUDED.registered_at END
            """,
            new
            {
                row.Sha256, row.Der, authority = row.Authority.ToString().ToUpperInvariant(), row.IssuerDn, row.IssuerKeyId,
                row.SerialHex, row.SubjectDn, holderKind = row.HolderKind.ToString().ToUpperInvariant(), row.HolderUbn,
                row.HolderNationalId, row.HolderName, NotBefore = DateTime.SpecifyKind(row.NotBefore, DateTimeKind.Utc),
                NotAfter = DateTime.SpecifyKind(row.NotAfter, DateTimeKind.Utc), row.RegisteredFirmUbn,
                RegisteredAt = DateTime.SpecifyKind(row.RegisteredAt, DateTimeKind.Utc),
            }, tx, cancellationToken: ct));

    /// <summary>The registered certificate whose DER hashes to <paramref name="sha256"/> (upper-case hex), or null.</summary>
    public Task<GovernmentCertificateRow?> FindAsync(string sha256, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<GovernmentCertificateRow>(new CommandDefinition(
            $"SELECT {Columns} FROM government_certificates g WHERE g.sha256 = @sha256",
            new { sha256 }, tx, cancellationToken: ct));
}
