using Ra.Client.Keys;

namespace Ra.Client.Tests.Keys;

public sealed class ApplicantKeyTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Theory]
    [InlineData(KeyType.EcdsaP256)]
    [InlineData(KeyType.Rsa2048)]
    [InlineData(KeyType.Rsa3072)]
    public void An_encrypted_key_is_pbes2_aes256_cbc_with_pbkdf2_sha256_and_openssl_opens_it_with_the_password(KeyType type)
    {
        using var key = ApplicantKey.Generate(type);
        var pem = key.ExportPkcs8Pem("s3cret pass");
        Assert.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----", pem);
        var file = folder.Write("key.pem", pem);

        var structure = OpenSsl.Succeed("asn1parse", "-in", file);
        Assert.Contains(":PBES2", structure);
        Assert.Contains(":PBKDF2", structure);
        Assert.Contains(":hmacWithSHA256", structure);
        Assert.Contains(":aes-256-cbc", structure);

        var publicPem = OpenSsl.Succeed("pkey", "-in", file, "-passin", "pass:s3cret pass", "-pubout");
        Assert.Contains(PublicPem(key), publicPem);
        Assert.NotEqual(0, OpenSsl.Run("pkey", "-in", file, "-passin", "pass:wrong", "-pubout").ExitCode);
    }

    [Fact]
    public void A_key_without_a_password_is_plain_pkcs8_that_openssl_reads()
    {
        using var key = ApplicantKey.Generate();
        var pem = key.ExportPkcs8Pem();
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", pem);
        var file = folder.Write("key.pem", pem);
        Assert.Contains(PublicPem(key), OpenSsl.Succeed("pkey", "-in", file, "-pubout"));
    }

    [Theory]
    [InlineData(KeyType.EcdsaP256, "pw")]
    [InlineData(KeyType.Rsa2048, "pw")]
    [InlineData(KeyType.Rsa3072, null)]
    public void A_key_read_back_is_the_same_key_pair(KeyType type, string? password)
    {
        using var key = ApplicantKey.Generate(type);
        using var back = ApplicantKey.ImportPem(key.ExportPkcs8Pem(password), password);
        Assert.Equal(type, back.Type);
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), back.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public void A_wrong_or_missing_password_is_told_as_such()
    {
        using var key = ApplicantKey.Generate();
        var pem = key.ExportPkcs8Pem("right");
        Assert.Contains("password is wrong", Assert.Throws<KeyFileException>(() => ApplicantKey.ImportPem(pem, "wrong")).Message);
        Assert.Contains("password is needed", Assert.Throws<KeyFileException>(() => ApplicantKey.ImportPem(pem)).Message);
    }

    [Fact]
    public void A_key_the_SDK_does_not_offer_is_refused_on_import()
    {
        var file = folder.At("p384.pem");
        OpenSsl.Succeed("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", file);
        Assert.Throws<KeyFileException>(() => ApplicantKey.ImportPem(File.ReadAllText(file)));
        Assert.Throws<KeyFileException>(() => ApplicantKey.ImportPem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"));
    }

    private static string PublicPem(ApplicantKey key) =>
        System.Security.Cryptography.PemEncoding.WriteString("PUBLIC KEY", key.ExportSubjectPublicKeyInfo());
}
