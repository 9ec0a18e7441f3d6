using System.CommandLine;
using Customs.Ra.V1;
using Grpc.Health.V1;
using Ra.Cli.Settings;

namespace Ra.Cli.Commands;

/// <summary>`ra info` and `ra health`: open to anyone, they need only the server's address and trust.</summary>
public static class ServerCommands
{
    public static Command Info() => new Command("info", "What the RA publishes: name, contacts, procedures, accepted certificates, fees")
        .Runs(async (context, cancellation) =>
        {
            var client = new RegistrationAuthority.RegistrationAuthorityClient(context.Channel(CallerRole.Anonymous));
            context.Printer.Record(await client.GetRaInfoAsync(new GetRaInfoRequest(), context.Call(cancellation)));
            return ExitCodes.Ok;
        });

    public static Command Health()
    {
        var service = new Argument<string>("SERVICE")
        {
            Description = "A service's full name, e.g. customs.ra.v1.Registry (default: the server as a whole)",
            DefaultValueFactory = _ => "",
        };
        return new Command("health", $"Asks grpc.health.v1 whether the RA serves (exit {ExitCodes.NotValid} when it does not)")
            .With(service)
            .Runs(async (context, cancellation) =>
            {
                var client = new Health.HealthClient(context.Channel(CallerRole.Anonymous));
                var answer = await client.CheckAsync(new HealthCheckRequest { Service = context.Parse.GetValue(service) }, context.Call(cancellation));
                context.Printer.Record(answer);
                return answer.Status == HealthCheckResponse.Types.ServingStatus.Serving ? ExitCodes.Ok : ExitCodes.NotValid;
            });
    }
}
