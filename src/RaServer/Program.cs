using RaServer.Hosting;

// RaServer [serve] | migrate: see README.md. Local runs use tools/Ra.DevTools (ra-dev dev).
return await RaServerCommands.RunAsync(args);

/// <summary>Lets tests host the real server (eShop style).</summary>
public partial class Program;
