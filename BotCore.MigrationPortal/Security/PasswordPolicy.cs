using BotCore.MigrationPortal.Security.CommonPasswords;

namespace BotCore.MigrationPortal.Security;

/// <summary>
/// What a password must be, checked wherever one is set (Users page, CLI, sandbox demo password), after OWASP ASVS 2.1
/// and NIST SP 800-63B: long enough, and not one that is guessed early — common, a pattern, or the user's own name.
/// No composition rules (a digit, a capital, a symbol): they make passwords harder to remember, not to guess.
/// </summary>
public static class PasswordPolicy
{
    public const int MinimumLength = 12;

    /// <summary>Enough for any passphrase; a longer password only costs time to hash.</summary>
    public const int MaximumLength = 1024;

    /// <summary>A name this short is in too many good passphrases to refuse them ("ada" in "canada").</summary>
    private const int ShortestNameChecked = 3;

    private const string Advice = "Choose a longer passphrase, e.g. four unrelated words.";

    // Runs of these, forwards or backwards and wrapping around, are typed without thinking: "abcdefghijkl",
    // "123456789012", "qwertyuiopas" (keyboard rows read on), "987654321098".
    private static readonly string[] Sequences =
    [
        "abcdefghijklmnopqrstuvwxyz",
        "0123456789",
        "qwertyuiopasdfghjklzxcvbnm",
        "qwertzuiopasdfghjklyxcvbnm",
        "azertyuiopqsdfghjklmwxcvbn",
    ];

    // What people add to a common password to get past composition rules: the digits and symbols of a keyboard.
    private static readonly char[] Padding = [.. Enumerable.Range('!', '~' - '!' + 1).Select(c => (char)c).Where(c => !char.IsLetter(c))];

    /// <returns>Why the password is refused, or null when it is acceptable.</returns>
    public static string? Problem(string? password) => Problem(password, userName: null);

    /// <param name="userName">Whose password it is; a password containing the name is refused.</param>
    /// <returns>Why the password is refused, saying what to do instead, or null when it is acceptable.</returns>
    public static string? Problem(string? password, string? userName)
    {
        // Counted in characters as a person sees them (code points), as NIST asks, not in UTF-16 units.
        var length = password?.EnumerateRunes().Count() ?? 0;
        if (password is null || length < MinimumLength) return $"A password needs at least {MinimumLength} characters. {Advice}";
        if (length > MaximumLength) return $"A password has at most {MaximumLength} characters. Choose a shorter passphrase.";
        var typed = password.ToLowerInvariant();
        if (IsRepeatedGroup(typed)) return $"A password that repeats a few characters (like aaaa… or abcabc…) is guessed as soon as they are. {Advice}";
        if (IsSequence(typed)) return $"A keyboard, alphabet or number sequence (like qwerty… or 1234…) is among the first guesses. {Advice}";
        if (IsCommon(password)) return $"This password is on a list of the most common passwords from breaches, which attackers try first. {Advice}";
        if (userName is { Length: >= ShortestNameChecked } && password.Contains(userName, StringComparison.OrdinalIgnoreCase))
        {
            return $"A password must not contain the user's name ({userName}). {Advice}";
        }
        return null;
    }

    /// <summary>One group shorter than the minimum, repeated: as strong as that group alone ("aaaaaaaaaaaa", "hunter2hunter2").</summary>
    private static bool IsRepeatedGroup(string password)
    {
        for (var group = 1; group < MinimumLength && group <= password.Length / 2; group++)
        {
            if (password.Length % group == 0 && string.Concat(Enumerable.Repeat(password[..group], password.Length / group)) == password) return true;
        }
        return false;
    }

    private static bool IsSequence(string password) =>
        Sequences.Any(sequence => IsRunOf(password, sequence) || IsRunOf(password, new string(sequence.Reverse().ToArray())));

    private static bool IsRunOf(string password, string sequence) =>
        string.Concat(Enumerable.Repeat(sequence, password.Length / sequence.Length + 2)).Contains(password, StringComparison.Ordinal);

    /// <summary>On the list, or a listed password with only digits or symbols added at its end ("sunshine2024!!").</summary>
    private static bool IsCommon(string password)
    {
        var stem = password.TrimEnd(Padding);
        return CommonPasswordList.Contains(password) || (stem.Length > 0 && stem.Length < password.Length && CommonPasswordList.Contains(stem));
    }

}
