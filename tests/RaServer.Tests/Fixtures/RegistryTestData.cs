using RaServer.Domain;
using RaServer.Hosting;
using RaServer.Policy;
using RaServer.Storage;
using RaServer.Trust;
using RaServer.Workflow;

namespace RaServer.Tests.Fixtures;

/// <summary>
/// Registry records for tests: the official test numbers from docs/DOMAIN.md for hand-written cases, and checksum-valid
/// generated identifiers for bulk tests that need more of them (they live only in throwaway test databases).
/// </summary>
public static class RegistryTestData
{
    public const string TestFirmUbn = "04595252";
    public const string TestBrokerNationalId = "A123456789";

    public static OperatorRecord TestBrokerFirm => new(TestFirmUbn, "測試報關股份有限公司", OperatorKinds.CustomsBroker, "AA", "207/0", OperatorStatuses.Active);
    public static BrokerStaffRecord TestBroker => new(TestBrokerNationalId, "測試人員", "BRK-000001", BrokerStaffStatuses.Active);
    public static MandateRecord TestMandate => new(TestBrokerNationalId, TestFirmUbn, new DateOnly(2024, 1, 1), null);

    /// <summary>Valid UBNs in ascending order from <paramref name="from"/>.</summary>
    public static IEnumerable<string> Ubns(int from = 10_000_000)
    {
        for (var n = from; n <= 99_999_999; n++)
        {
            var candidate = n.ToString("D8");
            if (TaiwanIdentifiers.IsValidUbn(candidate))
                yield return candidate;
        }
    }

    /// <summary>Valid national IDs with the given letter, completing 8 leading digits with the one check digit that fits.</summary>
    public static IEnumerable<string> NationalIds(char letter = 'F', int from = 10_000_000)
    {
        for (var n = from; n <= 29_999_999; n++)
        {
            var stem = $"{letter}{n:D8}";
            if (stem[1] is not ('1' or '2'))
                continue;
            for (var check = 0; check <= 9; check++)
            {
                var candidate = stem + check;
                if (TaiwanIdentifiers.IsValidPersonId(candidate))
                {
                    yield return candidate;
                    break;
                }
            }
        }
    }
}
