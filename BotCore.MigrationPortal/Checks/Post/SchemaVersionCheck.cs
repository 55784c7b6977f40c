using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Targets;

namespace BotCore.MigrationPortal.Checks.Post;

/// <summary>The spec's post-migration check 1: system_config records the plan's target version.</summary>
internal sealed class SchemaVersionCheck : IIntegrityCheck
{
    public const string Id = "post.schema-version";

    public CheckDescriptor Descriptor { get; } = new(Id, "Schema version updated",
        $"system_config {MongoCatalogReader.VersionKey} holds the version the plan took the database to.",
        CheckPhase.PostMigration, CheckSeverity.Blocking);

    public async Task<CheckFinding> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var history = await context.Target.ReadHistoryAsync(cancellationToken);
        var recorded = history.Applied == SchemaVersion.Zero
            ? $"system_config has no {MongoCatalogReader.VersionKey} document (0.0.0)"
            : $"system_config {MongoCatalogReader.VersionKey} = {history.Applied}" +
              (history.UpdatedAt is { } at ? $", set {at:u} by {history.UpdatedBy}" : "");
        return history.Applied == context.Plan.To
            ? CheckFinding.Pass($"the schema version is {context.Plan.To}", recorded)
            : CheckFinding.Fail($"the schema version is {history.Applied}, expected {context.Plan.To}", recorded);
    }
}
