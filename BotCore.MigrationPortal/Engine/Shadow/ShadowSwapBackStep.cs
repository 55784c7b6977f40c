using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Mongosh;
using BotCore.MigrationPortal.Engine.Steps;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Engine.Shadow;

/// <summary>
/// Undoes a <see cref="ShadowRebuildStep"/> from wherever it got to, read from the catalog it meets (and, when it runs, from the server):
/// <list type="bullet">
/// <item>swapped (<c>&lt;name&gt;</c> and <c>&lt;name&gt;_before_&lt;v&gt;</c>, no shadow): the original is renamed back over the rebuilt
/// collection in one <c>renameCollection</c> with <c>dropTarget</c>, which is safe here because the target is exactly the collection the
/// rollback means to drop, and leaves no instant without a <c>&lt;name&gt;</c> for Bot Core to write into;</item>
/// <item>stopped between the two renames (the original renamed away, the shadow not in): the original is renamed back, the shadow dropped;</item>
/// <item>stopped before the swap: the shadow is dropped, and the original's options are put back in case the write pause was left on;</item>
/// <item>a <c>&lt;name&gt;</c> beside both the original and the shadow can only be one a writer created between the two renames: it holds
/// writes of its own, so nothing is dropped and a person is asked.</item>
/// </list>
/// The rebuilt collection is dropped, not kept: the rollback must leave the catalog as it was before the migration.
/// </summary>
/// <param name="OriginalOptions">The collection's options before the rebuild (its validator), put back; null leaves them as found.</param>
public sealed record ShadowSwapBackStep(string CollectionName, string Version, CollectionOptions? OriginalOptions) : IMigrationStep
{
    /// <summary>Derived on each use, not stored: a <c>with</c> copy must not keep the names of another collection.</summary>
    private ShadowNames Names => new(CollectionName, Version);

    public StepKind Kind => StepKind.Schema;

    public IReadOnlyList<string> Touches => Names.All;

    public string Description =>
        $"swap {CollectionName} back: {Names.Before} becomes {CollectionName} again (the rebuilt {CollectionName} and any {Names.Shadow} are dropped)";

    public string? DataAtRisk =>
        $"the rebuilt {CollectionName}, with every write Bot Core made to it since the swap ({Names.Before} holds {CollectionName} as it was at the swap)";

    public SchemaCatalog Apply(SchemaCatalog catalog)
    {
        var current = catalog.Find(CollectionName);
        var before = catalog.Find(Names.Before);
        var shadow = catalog.Find(Names.Shadow);
        if (before is null)
        {
            if (current is null) throw new StepConflictException($"Cannot swap {CollectionName} back: neither {CollectionName} nor {Names.Before} exists.");
            return catalog.Without(Names.Shadow).With(Restored(current));
        }
        if (current is not null && shadow is not null) throw new StepConflictException(WrittenBetweenRenames);
        return catalog.Without(Names.Shadow).Without(Names.Before).With(Restored(before) with { Name = CollectionName });
    }

    public IMigrationStep Inverse(SchemaCatalog before) =>
        throw new StepConflictException($"Swapping {CollectionName} back cannot be undone by a step: run the migration {Version} up again to rebuild it.");

    public async Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var database = context.Database;
        var existing = await ShadowCollections.ExistingAsync(database, Names.All, cancellationToken);
        var done = new List<string>();
        if (existing.Contains(Names.Before))
        {
            if (existing.Contains(CollectionName) && existing.Contains(Names.Shadow)) throw new StepConflictException(WrittenBetweenRenames);
            await ShadowCollections.RenameAsync(database, Names.Before, CollectionName, dropTarget: existing.Contains(CollectionName), cancellationToken);
            done.Add(existing.Contains(CollectionName) ? $"{Names.Before} renamed over the rebuilt {CollectionName}" : $"{Names.Before} renamed back to {CollectionName}");
        }
        if (existing.Contains(Names.Shadow))
        {
            await database.DropCollectionAsync(Names.Shadow, cancellationToken);
            done.Add($"{Names.Shadow} dropped");
        }
        if (OriginalOptions is { } options)
        {
            await database.RunCommandAsync<BsonDocument>(ShadowWritePause.Restore(CollectionName, options), cancellationToken: cancellationToken);
        }
        await ShadowChangeFeed.ForgetAsync(database, Names, cancellationToken);
        return StepOutcome.Done(done.Count == 0 ? $"{CollectionName} kept its options" : string.Join("; ", done));
    }

    public MongoshStatements Mongosh(BatchOptions batching)
    {
        var restore = OriginalOptions is { } options
            ? MongoshStatements.Of($"db.runCommand({MongoshSyntax.Value(ShadowWritePause.Restore(CollectionName, options))});")
            : MongoshStatements.Comment($"{CollectionName} keeps the options it has");
        return MongoshStatements.Of(
                MongoshComment.Line($"if {Names.Before} exists (refused when {CollectionName} and {Names.Shadow} both exist too: a writer created {CollectionName} between the renames):"),
                MongoshComment.Line($"dropTarget only when {CollectionName} exists, i.e. is the rebuilt collection: the rename replaces it in one step"),
                $"{MongoshSyntax.Collection(Names.Before)}.renameCollection({MongoshSyntax.String(CollectionName)}, true);",
                MongoshComment.Line($"if {Names.Shadow} exists (the rebuild stopped before its swap):"),
                $"{MongoshSyntax.Collection(Names.Shadow)}.drop();",
                MongoshComment.Line("the original options, in case the swap's write pause was left on"))
            .Then(restore);
    }

    private string WrittenBetweenRenames =>
        $"Cannot swap {CollectionName} back: {CollectionName}, {Names.Before} and {Names.Shadow} all exist, so {CollectionName} was created by a writer " +
        $"between the swap's two renames and holds writes found nowhere else. Move its documents into {Names.Before} by hand, drop it, then roll back again.";

    private CollectionDefinition Restored(CollectionDefinition collection) =>
        OriginalOptions is { } options ? collection with { Options = options } : collection;
}
