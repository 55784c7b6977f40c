using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Engine.Steps;

namespace BotCore.MigrationPortal.Tests.Support;

/// <summary>What a DBA or the application does to a target outside the portal (drift, a database built elsewhere), as one step.</summary>
internal static class ByHand
{
    public static async Task ExecuteAsync(IMigrationTarget target, IMigrationStep step, SchemaCatalog catalog, CancellationToken cancellationToken)
    {
        var reporter = new StepReporter(new RecordingProgress(), TimeProvider.System, "by-hand", "up", 1, 1);
        await target.ExecuteStepAsync(step, step.Apply(catalog), new StepExecution("by-hand", "by-hand", reporter, new BatchOptions()), cancellationToken);
    }

    /// <summary>Drops one of the indexes the target has (what a DBA "cleaning up" does).</summary>
    public static async Task DropIndexAsync(IMigrationTarget target, string collection, string index, CancellationToken cancellationToken)
    {
        var catalog = (await target.ReadForAdoptionAsync(cancellationToken)).Collections;
        await ExecuteAsync(target, new DropIndexStep(collection, catalog.Get(collection).Indexes[index]), catalog, cancellationToken);
    }
}
