using Dapper;
using Npgsql;

namespace RaServer.Tests.Expiry;

/// <summary>
/// Puts the RA's record of issued certificates in place with SQL, each with the application that obtained it (whose
/// notice e-mail is where the expiry notices go). The applications stay in RECEIVED: the notifier reads only their
/// notice e-mail, and walking each through payment and the CA would test other issues' code, not this one's.
/// </summary>
public sealed class ExpiringCertificates(string connectionString, TimeProvider clock)
{
    private const string FirmUbn = "04595252";

    /// <summary>The notice e-mail given to the application of the certificate of <paramref name="holder"/>.</summary>
    public static string Email(string holder) => $"{holder}@holders.test";

    /// <summary>Adds an ORGANIZATION certificate for <paramref name="holder"/>; returns its serial.</summary>
    /// <param name="registered">Whether it is registered with a firm for Single Window messaging.</param>
    /// <param name="renews">The serial of the certificate this one renews.</param>
    public async Task<string> AddAsync(
        string holder, DateTimeOffset notAfter, string state = "ACTIVE", bool registered = true, string? renews = null, string? noticeEmail = null)
    {
        var serial = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(10));
        var applicationId = Guid.NewGuid();
        var now = clock.GetUtcNow();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.ExecuteAsync(
            """
            INSERT INTO applications (id, request_id, channel, service_type, kind, state, applicant_ubn, applicant_name,
                subject_name, subject_ubn, notice_email, certificate_serial_hex, created_at, updated_at)
            VALUES (@applicationId, @requestId, 'ONLINE', @serviceType, 'ORGANIZATION', 'RECEIVED', @firm, @name,
                @name, @firm, @email, @renews, @now, @now)
            """,
            new
            {
                applicationId, requestId = $"expiry-test-{applicationId:N}", serviceType = renews is null ? "NEW" : "RENEW",
                firm = FirmUbn, name = $"Holder {holder}", email = noticeEmail ?? Email(holder), renews, now,
            });
        await connection.ExecuteAsync(
            """
            INSERT INTO certificates (serial_hex, kind, state, holder_national_id, holder_name, firm_ubn, owner_ubn,
                not_before, not_after, issued_for_application, renews_serial_hex, revocation_reason, registered_firm_ubn,
                created_at, updated_at)
            VALUES (@serial, 'ORGANIZATION', @state, NULL, @name, @firm, @firm,
                @notBefore, @notAfter, @applicationId, @renews, @reason, @registeredWith, @now, @now)
            """,
            new
            {
                serial, state, name = $"Holder {holder}", firm = FirmUbn, notBefore = notAfter.AddYears(-3).ToUniversalTime(), notAfter = notAfter.ToUniversalTime(), applicationId,
                renews, reason = state == "REVOKED" ? 1 : (int?)null, registeredWith = registered ? FirmUbn : null, now,
            });
        return serial;
    }

    /// <summary>The renewal of <paramref name="serial"/>: a new three-year certificate that points back at it.</summary>
    public Task<string> RenewAsync(string holder, string serial) =>
        AddAsync($"{holder}-renewed", clock.GetUtcNow().AddYears(3), renews: serial);
}
