namespace BotCore.MigrationPortal.Security.CommonPasswords;

/// <summary>
/// The 30,000 passwords people choose most often, as found in breached password dumps: the "passwords" frequency
/// list of zxcvbn 4.4.2 (MIT, LICENSE.txt beside it), verbatim and in its rank order, so that anyone can check the file
/// against its source (README.md says how). It is the whole list, not only its entries of 12 or more characters:
/// <see cref="PasswordPolicy"/> also refuses a short one with digits or symbols added, such as "sunshine2024!!".
/// Compared without regard to case: "Dragon" is as common as "dragon".
/// </summary>
public static class CommonPasswordList
{
    private const string ResourceName = "Security/CommonPasswords/passwords.txt";

    private static readonly Lazy<HashSet<string>> Passwords = new(Load);

    public static bool Contains(string password) => Passwords.Value.Contains(password);

    private static HashSet<string> Load()
    {
        using var stream = typeof(CommonPasswordList).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The common password list ({ResourceName}) is not embedded in the portal.");
        using var reader = new StreamReader(stream);
        var passwords = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0) passwords.Add(line);
        }
        return passwords;
    }
}
