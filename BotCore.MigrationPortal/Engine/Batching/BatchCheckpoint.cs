using MongoDB.Bson;
using MongoDB.Bson.Serialization.Attributes;

namespace BotCore.MigrationPortal.Engine.Batching;

/// <summary>
/// Where a batched pass got to, saved after every batch in the target database so that a run that dies
/// (or a run that takes its lease over) resumes after the last completed batch.
/// </summary>
// Tolerates fields added by hand or by a newer portal, in the CLI too (which has no convention pack).
[BsonIgnoreExtraElements]
public sealed class BatchCheckpoint
{
    [BsonId] public required string Id { get; init; }
    [BsonElement("step_key")] public required string StepKey { get; init; }
    [BsonElement("last_id")] public required BsonValue LastId { get; init; }
    [BsonElement("processed")] public long Processed { get; init; }
    [BsonElement("written")] public long Written { get; init; }
    [BsonElement("run_id")] public required string RunId { get; init; }
    [BsonElement("updated_at")] public DateTime UpdatedAt { get; init; }
}
