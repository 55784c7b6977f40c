using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Mongosh;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Engine.Steps;

/// <summary>Renames a collection; already done when only the new name exists.</summary>
public sealed record RenameCollectionStep(string From, string To) : IMigrationStep
{
    public StepKind Kind => StepKind.Schema;

    public IReadOnlyList<string> Touches => [From, To];

    public string Description => $"rename collection {From} to {To}";

    public SchemaCatalog Apply(SchemaCatalog catalog) => (catalog.Find(From), catalog.Find(To)) switch
    {
        ({ } source, null) => catalog.Without(From).With(source with { Name = To }),
        (null, not null) => catalog,
        (not null, not null) => throw new StepConflictException($"Cannot rename {From} to {To}: both collections exist."),
        _ => throw new StepConflictException($"Cannot rename {From} to {To}: neither collection exists."),
    };

    public IMigrationStep Inverse(SchemaCatalog before) => new RenameCollectionStep(To, From);

    public async Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        await context.Database.RenameCollectionAsync(From, To, cancellationToken: cancellationToken);
        return StepOutcome.Done(Description);
    }

    public MongoshStatements Mongosh(BatchOptions batching) => MongoshStatements.Of(
        MongoshComment.Line($"only if {From} exists and {To} does not (only {To}: already done)"),
        $"{MongoshSyntax.Collection(From)}.renameCollection({MongoshSyntax.String(To)});");
}
