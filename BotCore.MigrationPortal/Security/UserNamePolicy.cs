using System.Text.RegularExpressions;

namespace BotCore.MigrationPortal.Security;

/// <summary>What a sign-in name may look like: it appears in the audit log, in logs and in URLs, so it stays plain.</summary>
public static partial class UserNamePolicy
{
    public const int MaximumLength = 64;

    /// <returns>Why the name is refused, or null when it is acceptable.</returns>
    public static string? Problem(string? name) =>
        name is not null && AllowedName().IsMatch(name)
            ? null
            : $"A name has 1 to {MaximumLength} letters, digits, '.', '-' or '_', and starts with a letter or a digit.";

    // \A and \z, not ^ and $: $ also matches before a final newline, which would let "alice\n" in.
    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z")]
    private static partial Regex AllowedName();
}
