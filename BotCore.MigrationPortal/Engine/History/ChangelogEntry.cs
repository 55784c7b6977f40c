using MongoDB.Bson;
using MongoDB.Bson.Serialization.Attributes;

namespace BotCore.MigrationPortal.Engine.History;

/// <summary>
/// One line of <c>migration_changelog</c> in the target database: what was run, from which source, by whom,
/// and how it ended. History travels with the data.
/// </summary>
// Tolerates fields added by hand or by a newer portal, in the CLI too (which has no convention pack).
[BsonIgnoreExtraElements]
public sealed record ChangelogEntry
{
    public const string Applied = "applied";
    public const string Failed = "failed";
    public const string RolledBack = "rolled_back";

    /// <summary>The target's collections were replaced from a backup (direction "restore"); neither applies nor undoes a migration.</summary>
    public const string Restored = "restored";

    /// <summary>The migration was found in place when the database was adopted (built outside the portal), not run by it.</summary>
    public const string Baselined = "baselined";

    [BsonId] public ObjectId Id { get; init; } = ObjectId.GenerateNewId();
    [BsonElement("version")] public required string Version { get; init; }
    [BsonElement("description")] public required string Description { get; init; }
    [BsonElement("checksum")] public required string Checksum { get; init; }
    [BsonElement("direction")] public required string Direction { get; init; }
    [BsonElement("status")] public required string Status { get; init; }
    [BsonElement("run_id")] public required string RunId { get; init; }
    [BsonElement("applied_by")] public required string AppliedBy { get; init; }
    [BsonElement("started_at")] public DateTime StartedAt { get; init; }
    [BsonElement("finished_at")] public DateTime FinishedAt { get; init; }
    [BsonElement("duration_ms")] public long DurationMs { get; init; }
    [BsonElement("error")] [BsonIgnoreIfNull] public string? Error { get; init; }

    /// <summary>Why it was recorded so, in a person's words (an adoption: the reason and the differences accepted).</summary>
    [BsonElement("note")] [BsonIgnoreIfNull] public string? Note { get; init; }

    /// <summary>The migration's changes are in the database after this entry (applied up, or a down that was rolled back).</summary>
    public bool LeftApplied => (Status is Applied or Baselined && Direction == "up") || (Status == RolledBack && Direction == "down");

    /// <summary>The migration's changes were taken out of the database by this entry (applied down, or an up that was rolled back).</summary>
    public bool LeftUndone => (Status == Applied && Direction == "down") || (Status == RolledBack && Direction == "up");
}
