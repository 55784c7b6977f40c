using MongoDB.Bson.Serialization.Attributes;

namespace BotCore.MigrationPortal.Notifications;

public enum DeliveryStatus
{
    /// <summary>Queued, or waiting for its next attempt after a failed one.</summary>
    Pending,
    Delivered,

    /// <summary>Every attempt failed; nothing more is tried.</summary>
    Failed,
}

/// <summary>One attempt to deliver: when, and what the receiver answered (an HTTP status or an SMTP reply) or the error.</summary>
public sealed record DeliveryAttempt(int Number, DateTime At, bool Succeeded, string? Response, string? Error);

/// <summary>
/// One event to one channel: what was sent and each attempt. The event travels with it so that every attempt sends the same message;
/// the channel is read when an attempt runs (a secret changed meanwhile is used, a channel disabled meanwhile is not).
/// </summary>
public sealed record NotificationDelivery
{
    [BsonId] public required string Id { get; init; }
    public required string ChannelId { get; init; }
    public required string ChannelName { get; init; }
    public ChannelKind ChannelKind { get; init; }
    public required PortalEvent Event { get; init; }
    public DeliveryStatus Status { get; init; }
    public IReadOnlyList<DeliveryAttempt> Attempts { get; init; } = [];
    public DateTime CreatedAt { get; init; }

    /// <summary>When the next attempt is due, while it is pending after a failed one.</summary>
    public DateTime? NextAttemptAt { get; init; }

    public DeliveryAttempt? Last => Attempts.Count == 0 ? null : Attempts[^1];
}
