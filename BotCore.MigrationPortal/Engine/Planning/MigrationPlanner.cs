using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.History;

namespace BotCore.MigrationPortal.Engine.Planning;

/// <summary>
/// Plans the way from one version to another, up or down. Refuses unknown versions, gaps in a target's
/// history and migrations whose source changed after they were applied, each with a message that says
/// what to do.
/// </summary>
public sealed class MigrationPlanner(MigrationRegistry registry)
{
    /// <param name="history">The target's history, when planning for a target; null plans on paper.</param>
    public MigrationPlan Plan(SchemaVersion from, SchemaVersion to, TargetHistory? history = null)
    {
        registry.RequireKnown(to, "requested");
        if (history is null)
        {
            registry.RequireKnown(from, "starting");
        }
        else
        {
            RefuseUnsafeHistory(history);
        }

        return to >= from
            ? new MigrationPlan(from, to, registry.Migrations.Where(m => m.Version > from && m.Version <= to).Select(PlanUp).ToList())
            : new MigrationPlan(from, to, registry.Migrations.Where(m => m.Version > to && m.Version <= from).Reverse().Select(PlanDown).ToList());
    }

    private void RefuseUnsafeHistory(TargetHistory history)
    {
        if (!registry.IsKnown(history.Applied))
        {
            throw new PlanRefusedException(
                $"The target is at schema version {history.Applied}, which this build does not know (it knows up to {registry.Latest}). " +
                "Use the portal build that applied it.");
        }
        if (!history.IsAdopted)
        {
            throw new PlanRefusedException(
                $"The target is not adopted: its system_config says {history.Applied}, but it has no migration_changelog (it was built outside the portal, " +
                "by the spec's scripts). Adopt it first: 'baseline --target <name>' or Adopt on its dashboard card.");
        }
        var statuses = MigrationStatus.For(registry, history);
        var gap = statuses.FirstOrDefault(s => s.State == MigrationState.Gap);
        if (gap is not null)
        {
            throw new PlanRefusedException(
                $"The target's history has a gap: it is at {history.Applied}, but {gap.Migration.Version} is {gap.Explanation}. " +
                $"Check the database by hand (drift --target …) and repair system_config before migrating.");
        }
        var modified = statuses.FirstOrDefault(s => s.State == MigrationState.Modified);
        if (modified is not null)
        {
            throw new PlanRefusedException(
                $"Migration {modified.Migration.Version} ({modified.Migration.SourceFileName}) was {modified.Explanation}. " +
                "Restore the file as it was applied, or write a new migration for the change.");
        }
    }

    private PlannedMigration PlanUp(RegisteredMigration migration)
    {
        var from = registry.Previous(migration.Version);
        return new PlannedMigration(migration, Direction.Up, from, migration.Version, Fold(migration.Steps, registry.ExpectedCatalogAt(from)));
    }

    private PlannedMigration PlanDown(RegisteredMigration migration)
    {
        var to = registry.Previous(migration.Version);
        var catalog = registry.ExpectedCatalogAt(to);
        var inverses = new List<Steps.IMigrationStep>();
        foreach (var step in migration.Steps)
        {
            try
            {
                inverses.Insert(0, step.Inverse(catalog));
            }
            catch (StepConflictException e)
            {
                throw new PlanRefusedException($"Migration {migration.Version} cannot be undone: step '{step.Description}' has no inverse ({e.Message}).");
            }
            catalog = step.Apply(catalog);
        }
        return new PlannedMigration(migration, Direction.Down, migration.Version, to, Fold(inverses, registry.ExpectedCatalogAt(migration.Version)));
    }

    private static IReadOnlyList<PlannedStep> Fold(IEnumerable<Steps.IMigrationStep> steps, SchemaCatalog start)
    {
        var planned = new List<PlannedStep>();
        var catalog = start;
        foreach (var step in steps)
        {
            var after = step.Apply(catalog);
            planned.Add(new PlannedStep(planned.Count + 1, step, catalog, after));
            catalog = after;
        }
        return planned;
    }
}
