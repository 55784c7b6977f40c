using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Mongosh;

namespace BotCore.MigrationPortal.Engine.Steps;

public delegate Task<StepOutcome> CustomStepAction(StepContext context, CancellationToken cancellationToken);

/// <summary>
/// A data step written as code, with an explicit up and down. Both must be idempotent. It changes documents,
/// never the catalog; schema changes are declarative steps so that they can be planned and verified.
/// </summary>
/// <param name="Collections">The collections it reads or writes; they must exist when it runs.</param>
/// <param name="Idempotency">Why running the up a second time writes nothing (see <see cref="IMigrationStep.Idempotency"/>).</param>
public sealed record CustomStep(
    string Description,
    CustomStepAction Up,
    string DownDescription,
    CustomStepAction Down,
    IReadOnlyList<string> Collections,
    string? Idempotency = null) : IMigrationStep
{
    public StepKind Kind => StepKind.Data;

    public IReadOnlyList<string> Touches => Collections;

    public SchemaCatalog Apply(SchemaCatalog catalog)
    {
        foreach (var name in Collections) catalog.Get(name);
        return catalog;
    }

    public IMigrationStep Inverse(SchemaCatalog before) => new CustomStep(DownDescription, Down, Description, Up, Collections);

    public Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken cancellationToken) => Up(context, cancellationToken);

    // Its commands are whatever its C# code sends: none can be shown without running it, so none is invented.
    public MongoshStatements Mongosh(BatchOptions batching) =>
        MongoshStatements.Comment($"custom code: {Description} (C# in the migration's source; no command can be shown for it)");
}
