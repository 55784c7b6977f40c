using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BotCore.MigrationPortal.Notifications;

/// <summary>
/// How a generic webhook is signed, so that the receiver knows the portal sent it and that it is not replayed: <c>X-BotCore-Timestamp</c>
/// is the Unix time in seconds when it was sent, and <c>X-BotCore-Signature</c> is <c>sha256=</c> and the lower-case hex HMAC-SHA256,
/// keyed by the channel's secret, of the UTF-8 bytes of the timestamp, a dot, and the exact request body. A receiver recomputes it, compares
/// in constant time, and refuses a timestamp older than a few minutes.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-BotCore-Signature";
    public const string TimestampHeader = "X-BotCore-Timestamp";
    public const string EventHeader = "X-BotCore-Event";
    public const string DeliveryHeader = "X-BotCore-Delivery";

    public static string Sign(string key, string timestamp, string body)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes($"{timestamp}.{body}"));
        return "sha256=" + Convert.ToHexStringLower(mac);
    }

    public static string Timestamp(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>What a receiver does: the signature matches and the timestamp is no older than <paramref name="tolerance"/>.</summary>
    public static bool IsValid(string key, string? timestamp, string? signature, string body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (timestamp is null || signature is null || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return false;
        if ((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > tolerance) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(key, timestamp, body)), Encoding.ASCII.GetBytes(signature));
    }
}
