using System.Text;
using Customs.Ra.V1;
using Ra.Cli.Failures;
using Ra.Cli.Output;

namespace Ra.Cli.Commands;

/// <summary>
/// The file `ra registry import` reads: one record per line, comma-separated, the first cell naming the record
/// (fields as in registry_records.proto; enums by short name, e.g. customs-broker, active):
/// <code>
/// operator,UBN,NAME,KIND,OFFICE_CODE,BOX_NUMBER,STATUS
/// broker_staff,NATIONAL_ID,NAME,LICENCE_NUMBER,STATUS
/// mandate,NATIONAL_ID,FIRM_UBN,START_DATE,END_DATE
/// </code>
/// Cells may be quoted ("a, b" with "" for a quote); blank lines and lines starting with # are skipped. The whole
/// file is read before anything is sent, so a line that is not a record stops the import with its line number
/// and nothing stored; what the RA thinks of a record's content is its result, per record.
/// </summary>
public static class RegistryCsv
{
    public sealed record Row(int Line, string Kind, string Key, ImportRegistryRequest Record);

    public static List<Row> Read(string path)
    {
        if (!File.Exists(path))
            throw CliFailure.Local($"registry file {path} does not exist");
        var rows = new List<Row>();
        var number = 0;
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            number++;
            var text = line.TrimEnd('\r');
            if (text.Trim().Length == 0 || text.TrimStart().StartsWith('#'))
                continue;
            var cells = Split(text, path, number);
            rows.Add(ToRow(cells, path, number));
        }
        return rows;
    }

    private static Row ToRow(List<string> cells, string path, int line)
    {
        var kind = cells[0].Trim().ToLowerInvariant().Replace('-', '_');
        return kind switch
        {
            "operator" => Expect(cells, 7, path, line) is var c ? new Row(line, kind, c[1], new ImportRegistryRequest
            {
                Operator = new Operator
                {
                    Ubn = c[1], Name = c[2], Kind = Enum<OperatorKind>(c[3], path, line), CustomsOfficeCode = c[4], BoxNumber = c[5],
                    Status = Enum<OperatorStatus>(c[6], path, line),
                },
            }) : null!,
            "broker_staff" => Expect(cells, 5, path, line) is var c ? new Row(line, kind, c[1], new ImportRegistryRequest
            {
                BrokerStaff = new BrokerStaff
                {
                    NationalId = c[1], Name = c[2], LicenceNumber = c[3], Status = Enum<BrokerStaffStatus>(c[4], path, line),
                },
            }) : null!,
            "mandate" => Expect(cells, 5, path, line) is var c ? new Row(line, kind, $"{c[1]}/{c[2]}/{c[3]}", new ImportRegistryRequest
            {
                Mandate = new Mandate { NationalId = c[1], FirmUbn = c[2], StartDate = c[3], EndDate = c[4] },
            }) : null!,
            _ => throw CliFailure.Local($"{path}:{line}: '{cells[0]}' is not a record type (operator, broker_staff, mandate)"),
        };
    }

    private static List<string> Expect(List<string> cells, int count, string path, int line) =>
        cells.Count == count ? cells
            : throw CliFailure.Local($"{path}:{line}: a {cells[0].Trim()} line has {count} cells, this one has {cells.Count}");

    private static T Enum<T>(string text, string path, int line) where T : struct, System.Enum =>
        ProtoEnums.Parse<T>(text) ?? throw CliFailure.Local(
            $"{path}:{line}: '{text}' is not one of {string.Join(", ", ProtoEnums.Values<T>().Select(v => ProtoEnums.Kebab(v.Name)))}");

    private static List<string> Split(string line, string path, int number)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c != '"')
                    cell.Append(c);
                else if (i + 1 < line.Length && line[i + 1] == '"')
                    cell.Append(line[++i]);
                else
                    quoted = false;
            }
            else if (c == '"' && cell.Length == 0)
                quoted = true;
            else if (c == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
                cell.Append(c);
        }
        if (quoted)
            throw CliFailure.Local($"{path}:{number}: a quoted cell is not closed");
        cells.Add(cell.ToString());
        return cells;
    }
}
