using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Planning;

namespace BotCore.MigrationPortal.Engine.Running;

/// <summary>
/// Is the catalog back to what it was before a plan ran? Compared over the collections the plan touches, where only what
/// matters counts: a collection the plan ensured for the application stays after a rollback (that is the rule), and an index
/// the application added meanwhile is its own (see <see cref="DriftClassification"/>).
/// </summary>
public static class RollbackVerification
{
    /// <returns>The differences that remain and should not: empty when the rollback restored the catalog.</returns>
    public static IReadOnlyList<CatalogDifference> Remaining(MigrationPlan plan, SchemaCatalog before, SchemaCatalog after)
    {
        var touched = plan.TouchedCollections.ToHashSet(StringComparer.Ordinal);
        return DriftClassification.Classify(before, after, touched, plan.ApplicationOwnedCollections, plan.DeclaredIndexes, touched.Contains)
            .Where(d => d.Severity == DriftSeverity.Blocking)
            .Select(d => d.Difference)
            .ToList();
    }
}
