using MongoDB.Bson;
using MongoDB.Bson.Serialization.Attributes;

namespace BotCore.MigrationPortal.Notifications;

public enum ChannelKind
{
    /// <summary>A JSON POST signed with HMAC-SHA256 (see <see cref="WebhookSignature"/>).</summary>
    Webhook,

    /// <summary>A Slack incoming webhook: the URL holds the secret.</summary>
    Slack,

    /// <summary>A Microsoft Teams incoming webhook (a Workflows or connector URL): the URL holds the secret.</summary>
    Teams,

    /// <summary>E-mail over SMTP (MailKit).</summary>
    Email,
}

/// <summary>
/// Where the team is told, as an Admin configured it. <see cref="Secret"/> is what must never be shown back or logged: the webhook URL of
/// Slack and Teams (it is the credential), the generic webhook's HMAC key, the SMTP password. Immutable; saved with a revision check.
/// </summary>
public sealed record NotificationChannel
{
    [BsonId] public required string Id { get; init; }
    public required string Name { get; init; }
    public ChannelKind Kind { get; init; }

    /// <summary>The generic webhook's URL (not secret; its key is). Unused for Slack and Teams, whose URL is the secret.</summary>
    public string? Url { get; init; }

    public string? Secret { get; init; }

    public string? SmtpHost { get; init; }
    public int SmtpPort { get; init; } = 587;

    /// <summary>SMTP user name; empty when the server takes mail without authentication.</summary>
    public string? SmtpUser { get; init; }

    /// <summary>STARTTLS when the server offers it (MailKit's Auto); off only for a local relay.</summary>
    public bool SmtpTls { get; init; } = true;

    public string? MailFrom { get; init; }

    /// <summary>Addresses, separated by commas.</summary>
    public string? MailTo { get; init; }

    // By name, as every other enum the portal stores: the convention reaches only top-level members, not a list's items, and a number
    // would silently change meaning when an event is added mid-enum.
    [BsonRepresentation(BsonType.String)]
    public IReadOnlyList<PortalEventKind> Events { get; init; } = [];
    public bool Enabled { get; init; } = true;
    public long Revision { get; init; }
    public required string UpdatedBy { get; init; }
    public DateTime UpdatedAt { get; init; }

    public bool Gets(PortalEventKind kind) => Enabled && Events.Contains(kind);

    /// <summary>Where it delivers, without its secret: for the settings page, the audit log and the delivery record.</summary>
    public string Destination => Kind switch
    {
        ChannelKind.Webhook => Url ?? "",
        ChannelKind.Email => $"{MailTo} via {SmtpHost}:{SmtpPort}",
        _ => SecretMask.Of(Secret),
    };
}

/// <summary>A secret as it may be shown: its first few characters of a URL's host and its last four, never the rest.</summary>
public static class SecretMask
{
    public static string Of(string? secret)
    {
        if (string.IsNullOrEmpty(secret)) return "(none)";
        if (Uri.TryCreate(secret, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http")
        {
            return $"{uri.Scheme}://{uri.Host}/…{Last4(secret)}";
        }
        return $"••••{Last4(secret)}";
    }

    private static string Last4(string secret) => secret.Length > 12 ? secret[^4..] : "";
}
