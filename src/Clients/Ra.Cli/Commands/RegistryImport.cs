using System.CommandLine;
using System.Text;
using Customs.Ra.V1;
using Ra.Cli.Failures;
using Ra.Cli.Output;
using Ra.Cli.Settings;

namespace Ra.Cli.Commands;

/// <summary>
/// `ra registry import FILE.csv`: streams the file's records to ImportRegistry in file order, shows how far it got
/// on a terminal, and writes the RA's result for every record to a CSV beside the input (or --results FILE).
/// </summary>
public static class RegistryImport
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE.csv") { Description = "Records, one per line (format: ra registry import --help, docs/CLI.md)" };
        var results = Opt.Text("--results", "Where to write the result of each record (default: FILE.results.csv)", helpName: "FILE");
        return new Command("import", """
            Streams a CSV of registry records to ImportRegistry; one line per record:
              operator,UBN,NAME,KIND,OFFICE_CODE,BOX_NUMBER,STATUS
              broker_staff,NATIONAL_ID,NAME,LICENCE_NUMBER,STATUS
              mandate,NATIONAL_ID,FIRM_UBN,START_DATE,END_DATE
            Records go in file order (operators and staff before their mandates). Exit 1 when any record is rejected.
            """)
            .With(file, results)
            .Runs(async (context, cancellation) =>
            {
                var path = context.Parse.GetValue(file)!;
                var rows = RegistryCsv.Read(path);
                var resultPath = context.Parse.GetValue(results) ?? Path.ChangeExtension(path, null) + ".results.csv";
                var client = new Registry.RegistryClient(context.Channel(CallerRole.Registry));
                var answer = await SendAsync(client, rows, context.Call(cancellation, streaming: true));
                await File.WriteAllTextAsync(resultPath, ResultsCsv(rows, answer), new UTF8Encoding(false), cancellation);
                if (context.Printer.Json)
                    context.Printer.Record(answer);
                context.Printer.Note($"{answer.AcceptedCount} accepted, {answer.RejectedCount} rejected of {rows.Count} records; results in {resultPath}");
                return answer.RejectedCount == 0 ? ExitCodes.Ok : ExitCodes.Refused;
            });
    }

    private static async Task<ImportRegistryResponse> SendAsync(Registry.RegistryClient client, List<RegistryCsv.Row> rows, Grpc.Core.CallOptions options)
    {
        using var call = client.ImportRegistry(options);
        var progress = !Console.IsErrorRedirected;
        try
        {
            for (var i = 0; i < rows.Count; i++)
            {
                await call.RequestStream.WriteAsync(rows[i].Record);
                if (progress && (i % 100 == 0 || i == rows.Count - 1))
                    Console.Error.Write($"\rsent {i + 1}/{rows.Count} records");
            }
            await call.RequestStream.CompleteAsync();
        }
        catch (Exception)
        {
            // The RA ended the stream (a refusal of the whole call): its status, not the write's, says why.
            await call.ResponseAsync;
            throw;
        }
        finally
        {
            if (progress)
                Console.Error.WriteLine();
        }
        return await call.ResponseAsync;
    }

    private static string ResultsCsv(List<RegistryCsv.Row> rows, ImportRegistryResponse answer)
    {
        var csv = new StringBuilder("line,record,key,outcome,reason,field_violations\n");
        foreach (var result in answer.Results)
        {
            var row = result.Index >= 0 && result.Index < rows.Count ? rows[(int)result.Index] : null;
            var violations = string.Join("; ", result.FieldViolations.Select(v => $"{v.Field}: {v.Description}"));
            csv.Append(string.Join(',', new[]
            {
                row?.Line.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", row?.Kind ?? "", row?.Key ?? "",
                ProtoEnums.Short(result.Outcome), result.Reason, violations,
            }.Select(Quote))).Append('\n');
        }
        return csv.ToString();
    }

    private static string Quote(string cell)
    {
        var flat = OneLine.Of(cell);
        return flat.IndexOfAny([',', '"']) < 0 ? flat : "\"" + flat.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
