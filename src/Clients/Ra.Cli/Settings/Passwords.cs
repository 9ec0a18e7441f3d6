using System.Text;
using Ra.Cli.Failures;

namespace Ra.Cli.Settings;

/// <summary>
/// Where an identity's password comes from, first found wins: --password-file, the profile's passwordFile,
/// RA_&lt;ROLE&gt;_PASSWORD, RA_PASSWORD, and last a prompt without echo when stdin is a terminal. There is no
/// password option: a command line is visible to every user of the machine (ps) and kept in shell history.
/// </summary>
public static class Passwords
{
    public static string For(CallerRole role, string pkcs12, string? passwordFile)
    {
        if (passwordFile is not null)
            return ReadFile(passwordFile);
        foreach (var variable in new[] { role.PasswordVariable(), "RA_PASSWORD" })
            if (Environment.GetEnvironmentVariable(variable) is { } value)
                return value;
        if (Console.IsInputRedirected)
            throw CliFailure.Local(
                $"no password for {pkcs12}: use --password-file FILE, or set {role.PasswordVariable()} or RA_PASSWORD "
                + "(ra asks for it only when stdin is a terminal)");
        return Prompt($"password for {pkcs12}: ");
    }

    /// <summary>The variable for the password of the applicant's own key files and backups.</summary>
    public const string KeyPasswordVariable = "RA_KEY_PASSWORD";

    /// <summary>
    /// The password that protects the applicant's key files (key.pem, keystore.p12) and PKCS#12 backups, first found
    /// wins: --key-password-file, RA_KEY_PASSWORD, a prompt on a terminal. It is not the identity's password: the
    /// signing certificate and the certificate being made are different keys.
    /// </summary>
    public static string ForKeys(string? passwordFile, string what)
    {
        if (passwordFile is not null)
            return NonEmpty(ReadFile(passwordFile), passwordFile);
        if (Environment.GetEnvironmentVariable(KeyPasswordVariable) is { Length: > 0 } value)
            return value;
        if (Console.IsInputRedirected)
            throw CliFailure.Local($"no password for {what}: use --key-password-file FILE or set {KeyPasswordVariable} "
                + "(ra asks for it only when stdin is a terminal)");
        return NonEmpty(Prompt($"password for {what}: "), "the prompt");
    }

    private static string NonEmpty(string password, string source) =>
        password.Length > 0 ? password : throw CliFailure.Local($"the key password from {source} is empty");

    private static string ReadFile(string path)
    {
        if (!File.Exists(path))
            throw CliFailure.Local($"password file {path} does not exist");
        using var reader = new StreamReader(path, Encoding.UTF8);
        return reader.ReadLine() ?? "";
    }

    /// <summary>Reads a line from the terminal without echoing it; the prompt goes to stderr so stdout stays the answer.</summary>
    private static string Prompt(string prompt)
    {
        Console.Error.Write(prompt);
        var password = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
                break;
            if (key.Key == ConsoleKey.Backspace)
            {
                if (password.Length > 0)
                    password.Length--;
            }
            else if (!char.IsControl(key.KeyChar))
                password.Append(key.KeyChar);
        }
        Console.Error.WriteLine();
        return password.ToString();
    }
}
