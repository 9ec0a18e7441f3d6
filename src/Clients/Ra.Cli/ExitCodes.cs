namespace Ra.Cli;

/// <summary>
/// What `ra` returns, so scripts can tell a refusal from a typo from a dead network. The same list is in the root
/// command's help and in docs/CLI.md.
/// </summary>
public static class ExitCodes
{
    /// <summary>The RA answered and did what was asked (and a verifier's verdict is VALID).</summary>
    public const int Ok = 0;

    /// <summary>The RA refused: any gRPC status other than OK that the RA itself sent.</summary>
    public const int Refused = 1;

    /// <summary>The command line is wrong: unknown command or option, missing or malformed argument, bad URL.</summary>
    public const int Usage = 2;

    /// <summary>A local file or password problem: missing or unreadable file, not a certificate, wrong password.</summary>
    public const int Local = 3;

    /// <summary>The server could not be reached, did not answer in time, or its TLS certificate is not trusted.</summary>
    public const int Unreachable = 4;

    /// <summary>The RA answered with a negative verdict: verify / cert-status not VALID, health not SERVING.</summary>
    public const int NotValid = 5;

    /// <summary>Something `ra` did not expect: a bug in ra, reported as one line.</summary>
    public const int Unexpected = 70;

    /// <summary>The table for the root command's help.</summary>
    public const string Help = """
        Exit codes: 0 ok; 1 refused by the RA (status, reason and field problems on stderr; for registry import:
          a record rejected); 2 usage mistake; 3 local file or password problem; 4 server unreachable, too slow or
          not trusted; 5 a negative verdict (verify, cert-status not VALID; health not SERVING); 70 a bug in ra.
        """;
}
