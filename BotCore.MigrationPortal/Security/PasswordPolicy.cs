namespace BotCore.MigrationPortal.Security;

/// <summary>What a password must be, checked wherever one is set (Users page, CLI, sandbox demo password).</summary>
public static class PasswordPolicy
{
    public const int MinimumLength = 12;

    /// <returns>Why the password is refused, or null when it is acceptable.</returns>
    public static string? Problem(string? password) =>
        string.IsNullOrEmpty(password) || password.Length < MinimumLength
            ? $"A password needs at least {MinimumLength} characters."
            : null;
}
