using MongoDB.Bson.Serialization.Attributes;

namespace BotCore.MigrationPortal.Engine.Leases;

/// <summary>Who wants a target's lease: the run, the person behind it and the process that runs it.</summary>
public sealed record LeaseHolder(string RunId, string User)
{
    public string Host { get; init; } = Environment.MachineName;

    public int ProcessId { get; init; } = Environment.ProcessId;

    public string Id => $"{Host}/{ProcessId}/{RunId}";
}

/// <summary>
/// The lease on a target, stored in the target database (one document). It is valid until
/// <see cref="ExpiresAt"/>; its holder renews it while it runs, so a lease that has expired belongs to a
/// holder that died or lost the database, and anyone may take it over.
/// </summary>
// Tolerates fields added by hand or by a newer portal, in the CLI too (which has no convention pack).
[BsonIgnoreExtraElements]
public sealed record LeaseRecord
{
    public const string DocumentId = "schema";

    [BsonId] public string Id { get; init; } = DocumentId;
    [BsonElement("holder_id")] public required string HolderId { get; init; }
    [BsonElement("run_id")] public required string RunId { get; init; }
    [BsonElement("user")] public required string User { get; init; }
    [BsonElement("host")] public required string Host { get; init; }
    [BsonElement("acquired_at")] public DateTime AcquiredAt { get; init; }
    [BsonElement("expires_at")] public DateTime ExpiresAt { get; init; }

    /// <param name="now">By the clock of the store that times the lease.</param>
    public bool CanBeTakenBy(string holderId, DateTime now) => HolderId == holderId || ExpiresAt <= now;

    public static LeaseRecord For(LeaseHolder holder, DateTime now, TimeSpan duration) => new()
    {
        HolderId = holder.Id, RunId = holder.RunId, User = holder.User, Host = holder.Host, AcquiredAt = now, ExpiresAt = now + duration,
    };
}
