using BotCore.MigrationPortal.Engine.Running;
using MongoDB.Bson;
using MongoDB.Bson.Serialization.Attributes;

namespace BotCore.MigrationPortal.Runs.Events;

/// <summary>A run event as persisted: numbered per run so a page can replay history and continue without a gap.</summary>
public sealed record StoredRunEvent
{
    [BsonId] public ObjectId Id { get; init; } = ObjectId.GenerateNewId();
    public required string RunId { get; init; }
    public long Sequence { get; init; }
    public required RunEvent Event { get; init; }
}
