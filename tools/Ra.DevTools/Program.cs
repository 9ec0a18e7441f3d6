using DevTools;

// ra-dev dev [--dir DIR] [--port P] | devpki [--dir DIR]: local runs only (README.md). Production runs `RaServer`.
var verb = args.Length > 0 ? args[0] : "";
return verb switch
{
    "dev" => await DevCommand.RunAsync(args[1..]),
    "devpki" => await DevCommand.GeneratePkiAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: ra-dev dev [--dir DIR] [--port PORT] | ra-dev devpki [--dir DIR]");
    return 2;
}
