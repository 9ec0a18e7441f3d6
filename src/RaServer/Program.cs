using RaServer.Hosting;

// RaServer [serve] | migrate | devpki [--dir DIR] | dev [--dir DIR]: see README.md.
return await RaServerCommands.RunAsync(args);

/// <summary>Lets tests host the real server (eShop style).</summary>
public partial class Program;
