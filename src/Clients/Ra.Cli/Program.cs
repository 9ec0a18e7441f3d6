// `ra`: the RA's command line. The command tree is in RaCli.cs, docs/CLI.md describes it.
return await Ra.Cli.RaCli.RunAsync(args);
