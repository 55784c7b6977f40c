using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;

namespace BotCore.MigrationPortal.Security;

/// <summary>
/// Carries a sign-in error (and the name typed) to the sign-in page in one protected, short-lived query value, so that
/// what the page says always comes from the portal: a crafted link cannot make it show another message or a name.
/// </summary>
public sealed class SignInErrors(IDataProtectionProvider protection)
{
    public const string QueryName = "e";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly ITimeLimitedDataProtector protector = protection.CreateProtector("BotCore.MigrationPortal.SignInError").ToTimeLimitedDataProtector();

    /// <summary><paramref name="url"/> with the error and the name (never a password) added.</summary>
    public string AddTo(string url, SignInError error, string? name) =>
        QueryHelpers.AddQueryString(url, QueryName, protector.Protect(JsonSerializer.Serialize(new Shown(error, name)), Lifetime));

    /// <returns>The error and the name when <paramref name="value"/> came from this portal less than ten minutes ago; else null.</returns>
    public (SignInError Error, string? Name)? Read(string? value)
    {
        if (string.IsNullOrEmpty(value)) return null;
        try
        {
            var shown = JsonSerializer.Deserialize<Shown>(protector.Unprotect(value));
            return shown is not null && Enum.IsDefined(shown.Error) ? (shown.Error, shown.Name) : null;
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }

    private sealed record Shown(SignInError Error, string? Name);
}
