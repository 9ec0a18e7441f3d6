namespace Ra.DevPki;

/// <summary>The CAs of the dev PKI: a mimic of GRCA and three of its issuing CAs, plus the RA's own TLS CA.</summary>
public enum DevCa
{
    Grca,
    Moeaca,
    Moica,
    Gca,
    RaTls,
}
