using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Checks.Post;

/// <summary>
/// The spec's sample check "verify data migrated correctly": every AI analysis has a confidence within [0, 1]. The spec
/// looks at one document; this counts them all. No migration writes these documents and the 1.2.0 validator refuses such
/// values, so a finding predates the run and a rollback would not fix it: a warning.
/// </summary>
internal sealed class ConfidenceRangeCheck() : OffendingDocumentsCheck("ai_analysis_results", "have a confidence outside [0, 1] (or none)", "has a confidence outside [0, 1] (or none)")
{
    public const string Id = "post.confidence-range";

    public override CheckDescriptor Descriptor { get; } = new(Id, "AI analysis confidence within [0, 1]",
        "Documents of ai_analysis_results whose confidence is missing, not a number, or outside [0, 1].",
        CheckPhase.PostMigration, CheckSeverity.Warning);

    // Not (0 <= confidence <= 1) also matches a missing or non-numeric confidence, as the spec's JavaScript comparison would fail it.
    protected override FilterDefinition<BsonDocument> Offending =>
        Builders<BsonDocument>.Filter.Not(Builders<BsonDocument>.Filter.Gte("confidence", 0.0) & Builders<BsonDocument>.Filter.Lte("confidence", 1.0));

    protected override IReadOnlyList<string> Shown => ["confidence"];
}
