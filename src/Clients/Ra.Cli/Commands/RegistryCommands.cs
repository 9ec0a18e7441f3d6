using System.CommandLine;
using Customs.Ra.V1;
using Ra.Cli.Settings;

namespace Ra.Cli.Commands;

/// <summary>`ra registry ...`: the customs registry feed (mTLS role registry) keeping the RA's copy current.</summary>
public static class RegistryCommands
{
    public static Command Create() => Actions.Group("registry", "The registry feed: operators, broker staff, mandates (role registry)",
        UpsertOperator(), UpsertBrokerStaff(), UpsertMandate(), RegistryImport.Create());

    private static Command UpsertOperator()
    {
        var ubn = new Argument<string>("UBN") { Description = "The operator's Unified Business Number (8 digits)" };
        var name = Opt.Text("--name", "Registered name", required: true);
        var kind = Opt.Enum<OperatorKind>("--kind", "Licence category", required: true);
        var office = Opt.Text("--office", "Customs office code it is registered at, e.g. AA", required: true, helpName: "CODE");
        var box = Opt.Text("--box", "Box number at that office, e.g. 207/0 (required for brokers and forwarders)");
        var status = Opt.Enum<OperatorStatus>("--status", "Licence status", defaultValue: OperatorStatus.Active);
        return new Command("upsert-operator", "Creates or replaces an operator, keyed by UBN")
            .With(ubn, name, kind, office, box, status)
            .Runs(async (context, cancellation) =>
            {
                var client = new Registry.RegistryClient(context.Channel(CallerRole.Registry));
                var record = new Operator
                {
                    Ubn = context.Parse.GetValue(ubn)!, Name = context.Parse.GetValue(name)!, Kind = context.Parse.GetValue(kind),
                    CustomsOfficeCode = context.Parse.GetValue(office)!, BoxNumber = context.Parse.GetValue(box) ?? "",
                    Status = context.Parse.GetValue(status),
                };
                context.Printer.Record(await client.UpsertOperatorAsync(new UpsertOperatorRequest { Operator = record }, context.Call(cancellation)));
                return ExitCodes.Ok;
            });
    }

    private static Command UpsertBrokerStaff()
    {
        var id = new Argument<string>("NATIONAL_ID") { Description = "National ID or resident number" };
        var name = Opt.Text("--name", "Name as registered with customs", required: true);
        var licence = Opt.Text("--licence", "Broker licence number", required: true, helpName: "NUMBER");
        var status = Opt.Enum<BrokerStaffStatus>("--status", "Qualification status", defaultValue: BrokerStaffStatus.Active);
        return new Command("upsert-broker-staff", "Creates or replaces a broker staff member, keyed by national ID")
            .With(id, name, licence, status)
            .Runs(async (context, cancellation) =>
            {
                var client = new Registry.RegistryClient(context.Channel(CallerRole.Registry));
                var record = new BrokerStaff
                {
                    NationalId = context.Parse.GetValue(id)!, Name = context.Parse.GetValue(name)!,
                    LicenceNumber = context.Parse.GetValue(licence)!, Status = context.Parse.GetValue(status),
                };
                context.Printer.Record(await client.UpsertBrokerStaffAsync(new UpsertBrokerStaffRequest { BrokerStaff = record }, context.Call(cancellation)));
                return ExitCodes.Ok;
            });
    }

    private static Command UpsertMandate()
    {
        var id = new Argument<string>("NATIONAL_ID") { Description = "National ID of the broker staff member" };
        var firm = new Argument<string>("FIRM_UBN") { Description = "UBN of the customs broker firm" };
        var start = Opt.Date("--start", "First day of the mandate", required: true);
        var end = Opt.Date("--end", "Last day (default: open-ended)");
        return new Command("upsert-mandate", "Creates or replaces a mandate, keyed by (national ID, firm, start date)")
            .With(id, firm, start, end)
            .Runs(async (context, cancellation) =>
            {
                var client = new Registry.RegistryClient(context.Channel(CallerRole.Registry));
                var record = new Mandate
                {
                    NationalId = context.Parse.GetValue(id)!, FirmUbn = context.Parse.GetValue(firm)!,
                    StartDate = context.Parse.GetValue(start)!, EndDate = context.Parse.GetValue(end) ?? "",
                };
                context.Printer.Record(await client.UpsertMandateAsync(new UpsertMandateRequest { Mandate = record }, context.Call(cancellation)));
                return ExitCodes.Ok;
            });
    }
}
