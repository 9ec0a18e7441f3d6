using DevTools;

// ra-dev dev [--dir DIR] [--port P] [--pg-port P] [--Section:Key=value ...] | devpki [--dir DIR]: local runs only
// (README.md). Production runs `RaServer`.
var verb = args.Length > 0 ? args[0] : "";
return verb switch
{
    "dev" => await DevCommand.RunAsync(args[1..]),
    "devpki" => await DevCommand.GeneratePkiAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine(DevArguments.Usage);
    return 2;
}
