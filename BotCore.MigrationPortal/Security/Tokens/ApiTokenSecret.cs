using System.Security.Cryptography;
using System.Text;

namespace BotCore.MigrationPortal.Security.Tokens;

/// <summary>
/// A token's secret: <c>bcp_</c> and 32 random bytes in base64url (256 bits), shown once and kept only as its SHA-256. A plain,
/// fast hash is enough here (unlike a password, which needs a slow one): nobody can guess 256 random bits, so a stolen hash leads
/// to no secret, and a fast hash lets every request find its token by an indexed lookup instead of trying each token.
/// </summary>
public static class ApiTokenSecret
{
    public const string Prefix = "bcp_";

    private const int SecretBytes = 32;

    /// <summary>The length of every secret the portal makes: the prefix and 43 base64url characters.</summary>
    public static int Length { get; } = Prefix.Length + Base64Url(new byte[SecretBytes]).Length;

    public static string New() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(SecretBytes));

    /// <summary>A new public id for a token: 12 hex characters.</summary>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    public static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Whether <paramref name="text"/> has the shape of a secret the portal makes (checked before any lookup).</summary>
    public static bool LooksLikeOne(string text) =>
        text.Length == Length && text.StartsWith(Prefix, StringComparison.Ordinal) && !text.AsSpan(Prefix.Length).ContainsAnyExcept(Base64UrlCharacters);

    private static readonly System.Buffers.SearchValues<char> Base64UrlCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
