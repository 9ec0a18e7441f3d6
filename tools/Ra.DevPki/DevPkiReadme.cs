namespace Ra.DevPki;

/// <summary>The README.txt written next to the generated files.</summary>
internal static class DevPkiReadme
{
    public const string Text = """
        RaBackend development PKI -- FOR LOCAL DEVELOPMENT AND TESTS ONLY
        ===================================================================
        Every CA here is a mimic marked "RaBackend Dev Test". None of it is the real GRCA,
        MOEACA, MOICA or GCA; never install these files as trust anywhere else.
        Every .p12 password is: changeit. Private keys (*.key) are unencrypted PEM.

        trust/grca.crt      test root, mimics C=TW, O=Government Root Certification Authority
        trust/moeaca.crt    test 工商憑證管理中心 (companies), issued by grca
        trust/moica.crt     test 內政部憑證管理中心 (citizens), issued by grca
        trust/gca.crt       test 政府憑證管理中心 (government bodies), issued by grca
        ca/*.key            the private keys of those CAs (and ratls.key), so CRLs can be re-signed
        crl/*.crl           DER CRLs of grca, moeaca, moica, gca: empty, CRL number 1, next update in 7 days
                            (re-issue them with DevPki.ReissueCrl before they go stale)

        identities/company.p12  測試報關股份有限公司, UBN 04595252 (subjectDirectoryAttributes
                                2.16.886.1.100.2.101 and subject serialNumber), MOEACA, RSA-2048
        identities/broker.p12   測試人員, MOICA, last four ID digits 6789 (of A123456789) under
                                2.16.886.1.100.2.51
                                Both sign requests to the RA (detached CMS).

        tls/ca.crt          the dev "RA TLS CA": clients trust it for the RA's TLS certificate
        tls/server.crt/.key the RA's TLS certificate: localhost and 127.0.0.1, serverAuth
        audit/signer.crt/.key  signs the audit log's checkpoints (Audit:SigningCertificatePath), ECDSA P-256,
                            issued by the RA TLS CA, no EKU

        clients/<name>.p12, .crt, .key   mTLS client certificates (clientAuth) issued by the test GCA:
                            officer  (CN=officer-AA, OU=AA: a clerk of 基隆關), registry, fees, verifier
        clients/ca-bundle.crt            GCA + GRCA: what the RA trusts for client certificates

        The generator leaves a complete folder alone; delete the folder to make a new PKI.
        """;
}
