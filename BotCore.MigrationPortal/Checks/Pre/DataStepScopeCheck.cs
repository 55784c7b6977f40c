using BotCore.MigrationPortal.Text;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Checks.Pre;

/// <summary>
/// For each data step of the plan: how many documents it will touch, so the DBA can judge the time it takes and the
/// load it puts on the database. It informs and never blocks.
/// </summary>
internal sealed class DataStepScopeCheck(string stepKey, string stepDescription, DataStepScope scope) : DatabaseCheck
{
    public const string IdPrefix = "pre.data-step:";

    public override CheckDescriptor Descriptor { get; } = new($"{IdPrefix}{stepKey}",
        $"Documents step {stepKey} will touch ({scope.Collection})",
        $"Counts the documents of {scope.Collection} that {scope.Which}, which '{stepDescription}' will process.",
        CheckPhase.PreMigration, CheckSeverity.Warning);

    protected override async Task<CheckFinding> RunAsync(IMongoDatabase database, CheckContext context, CancellationToken cancellationToken)
    {
        if (!context.Exists(scope.Collection)) return CheckFinding.NothingToCheck(scope.Collection);
        var count = await database.GetCollection<BsonDocument>(scope.Collection).CountDocumentsAsync(scope.Filter, cancellationToken: cancellationToken);
        return CheckFinding.Pass($"{Counted.Of(count, "document")} of {scope.Collection} {scope.Which}: step {stepKey} will process {Counted.Pick(count, "it", "them")}");
    }
}
