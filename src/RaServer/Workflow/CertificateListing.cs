using RaServer.Domain;
using RaServer.Policy;
using RaServer.Storage;
using RaServer.Trust;

namespace RaServer.Workflow;

/// <summary>One line of ListCertificates: a customs-dedicated certificate, or a registered government one with the state its CA's CRL gives it.</summary>
/// <param name="GovernmentState">For <paramref name="Government"/> only: ACTIVE, SUSPENDED, REVOKED or EXPIRED.</param>
public sealed record ListedCertificate(CertificateRow? Customs, GovernmentCertificateRow? Government, string? GovernmentState);

/// <summary>
/// ListCertificates: the caller's customs-dedicated certificates, newest first, then the government PKI certificates
/// registered by it or for it, newest registration first, paged together with an offset token.
/// </summary>
public sealed class CertificateListing(CertificateQueries queries, CrlStore crls, TimeProvider clock)
{
    public async Task<(IReadOnlyList<ListedCertificate> Page, string NextPageToken)> ListAsync(
        ApplicantKey applicant, string? state, string? kind, int pageSize, string pageToken, CancellationToken ct)
    {
        if (pageSize < 0)
            throw RaException.InvalidField("PAGE_SIZE_INVALID", "page_size", "page_size must not be negative");
        var size = pageSize == 0 ? ApplicationQueries.DefaultPageSize : Math.Min(pageSize, ApplicationQueries.MaxPageSize);
        var offset = 0;
        if (pageToken.Length > 0 && (!int.TryParse(pageToken, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out offset) || offset < 0))
            throw RaException.InvalidField("PAGE_TOKEN_INVALID", "page_token", "the page token is not one this server issued");

        var now = clock.GetUtcNow();
        // Everything up to the end of this page plus one, so the page and whether another follows come from one read.
        var wanted = offset + size + 1;
        var customs = await queries.ListNewestAsync(applicant, state, kind, wanted, now, ct);
        var listed = customs.Select(row => new ListedCertificate(row, null, null)).ToList();
        if (listed.Count < wanted)
        {
            foreach (var row in await queries.ListGovernmentAsync(applicant, ct))
            {
                var rowState = GovernmentPkiPolicy.StateOf(crls.StandingOf(row.IssuerKeyId, row.SerialHex, now).Standing, row.NotAfterUtc, now);
                if ((state is null || state == rowState) && (kind is null || kind == GovernmentPkiPolicy.ListedKind(row.HolderKind)))
                    listed.Add(new ListedCertificate(null, row, rowState));
            }
        }

        var page = listed.Skip(offset).Take(size + 1).ToList();
        var next = "";
        if (page.Count > size)
        {
            page.RemoveAt(size);
            next = (offset + size).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return (page, next);
    }
}
