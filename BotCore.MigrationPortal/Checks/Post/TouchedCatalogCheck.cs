using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Text;

namespace BotCore.MigrationPortal.Checks.Post;

/// <summary>
/// The spec's "verify new collections and indexes exist", derived: each collection the run touched has exactly the
/// options and indexes the migrations say it should have at the target version. Collections the run did not touch are the
/// drift report's business.
/// </summary>
internal sealed class TouchedCatalogCheck : IIntegrityCheck
{
    public const string Id = "post.catalog";

    public CheckDescriptor Descriptor { get; } = new(Id, "Touched collections match the expected catalog",
        "Each collection the plan touched has the type, options (validator, time series, expiry) and indexes of the expected catalog at the target version.",
        CheckPhase.PostMigration, CheckSeverity.Blocking);

    public Task<CheckFinding> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var touched = context.Plan.TouchedCollections;
        if (touched.Count == 0) return Task.FromResult(CheckFinding.Pass("the plan touches no collection"));
        var collections = CatalogValidation.PerCollection(context.Registry, context.Registry.ExpectedCatalogAt(context.Plan.To), context.Live,
            touched.ToHashSet(StringComparer.Ordinal));
        var evidence = collections.Select(c => $"{c.Collection}: {c.Summary}").ToList();
        var failed = collections.Count(c => !c.Passed);
        return Task.FromResult(failed == 0
            ? CheckFinding.Pass($"the {Counted.Of(collections.Count, "touched collection")} {Counted.Pick(collections.Count, "matches", "match")} the expected catalog of {context.Plan.To}", evidence)
            : CheckFinding.Fail($"{failed} of {Counted.Of(collections.Count, "touched collection")} {Counted.Pick(failed, "differs", "differ")} from the expected catalog of {context.Plan.To}", evidence));
    }
}
