using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Ports;

namespace BotCore.MigrationPortal.Engine.Running;

public sealed record RehearsalStage(string Name, bool Passed, string Detail);

public sealed record RehearsalResult(SchemaVersion Version, IReadOnlyList<RehearsalStage> Stages)
{
    public bool Passed => Stages.All(s => s.Passed);
}

/// <summary>
/// Proves each migration can be applied and undone: up, validate against the expected catalog, down, check
/// the catalog is exactly as before, and up again. It changes the target, so it refuses real Production targets (a simulated
/// one is a copy).
/// </summary>
public sealed class MigrationRehearsal(MigrationRegistry registry, MigrationPlanner planner, MigrationRunner runner)
{
    /// <exception cref="BadInputException">The target is a real Production target.</exception>
    public static void RequireRehearsable(IMigrationTarget target)
    {
        if (target is { Tier: TargetTier.Production, IsSandbox: false })
        {
            throw new BadInputException(
                $"Target '{target.Name}' is a Production target: a rehearsal applies and undoes every migration there. Rehearse on a staging copy instead.");
        }
    }

    public async Task<IReadOnlyList<RehearsalResult>> RehearseAsync(IMigrationTarget target, SchemaVersion to, RunRequest request,
        IProgress<RunEvent> progress, CancellationToken cancellationToken)
    {
        RequireRehearsable(target);
        var history = await target.ReadHistoryAsync(cancellationToken);
        var plan = planner.Plan(history.Applied, to, history);
        if (plan.Direction == Direction.Down)
        {
            throw new BadInputException($"Target '{target.Name}' is at {history.Applied}, above {to}: a rehearsal goes up from the applied version.");
        }

        var results = new List<RehearsalResult>();
        foreach (var migration in plan.Migrations)
        {
            var stages = await RehearseOneAsync(target, migration, request, progress, cancellationToken);
            results.Add(new RehearsalResult(migration.Version, stages));
            if (stages.Any(s => !s.Passed)) break;
        }
        return results;
    }

    private async Task<List<RehearsalStage>> RehearseOneAsync(IMigrationTarget target, PlannedMigration migration, RunRequest request,
        IProgress<RunEvent> progress, CancellationToken cancellationToken)
    {
        var before = await target.ReadCatalogAsync(cancellationToken);
        var up = planner.Plan(migration.From, migration.To);
        var down = planner.Plan(migration.To, migration.From);
        var stages = new List<RehearsalStage>();

        if (!await RunStageAsync("up", up)) return stages;

        var validation = CatalogValidation.PerCollection(registry, registry.ExpectedCatalogAt(migration.To), await target.ReadCatalogAsync(cancellationToken));
        var failed = validation.Where(v => !v.Passed).ToList();
        stages.Add(new RehearsalStage("validate", failed.Count == 0, failed.Count == 0
            ? $"{validation.Count} collections match the expected catalog of {migration.To}"
            : string.Join("; ", failed.Select(v => $"{v.Collection}: {v.Summary}"))));
        if (failed.Count > 0) return stages;

        if (!await RunStageAsync("down", down)) return stages;

        var differences = RollbackVerification.Remaining(up, before, await target.ReadCatalogAsync(cancellationToken));
        stages.Add(new RehearsalStage("catalog restored", differences.Count == 0, differences.Count == 0
            ? $"the catalog is as before {migration.Version} (collections it ensured for the application stay, as its rollback leaves them)"
            : string.Join("; ", differences.Select(d => d.DescribeAsDrift()))));
        if (differences.Count > 0) return stages;

        await RunStageAsync("up again", up);
        return stages;

        async Task<bool> RunStageAsync(string name, MigrationPlan stagePlan)
        {
            var result = await runner.RunAsync(target, stagePlan, request with { RunId = $"{request.RunId}-{migration.Version}-{name.Replace(' ', '-')}" },
                progress, cancellationToken);
            stages.Add(new RehearsalStage(name, result.Succeeded, result.Succeeded ? $"{stagePlan.From} → {stagePlan.To}" : result.Error ?? result.Outcome.ToString()));
            return result.Succeeded;
        }
    }
}
