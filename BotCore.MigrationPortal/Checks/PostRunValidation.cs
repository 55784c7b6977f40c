using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Running;

namespace BotCore.MigrationPortal.Checks;

/// <summary>
/// The spec's validateAfterMigration for one run, as the runner asks it once the steps succeeded: every managed collection
/// against the expected catalog at the plan's target version, then the post-migration checks, given the document counts taken
/// before the run. Each result is reported as a Validation event; what it found stays here for the run's checklist. A difference
/// accepted in writing before the run is not this run's doing: it is shown as accepted and does not fail it.
/// Made by <see cref="PostRunValidator"/>.
/// </summary>
public sealed class PostRunValidation(MigrationRegistry registry, IIntegrityChecks checks, CollectionCounts before, TimeProvider time,
    Func<ClassifiedDifference, string?>? accepted = null) : IRunValidation
{
    /// <summary>What the validation found; null until it ran, and when it could not run.</summary>
    public PostRunFindings? Findings { get; private set; }

    public async Task<IReadOnlyList<FailedCheck>> ValidateAsync(IMigrationTarget target, MigrationPlan plan, IProgress<RunEvent> progress,
        CancellationToken cancellationToken)
    {
        var live = await target.ReadCatalogAsync(cancellationToken);
        var collections = CatalogValidation.PerCollection(registry, registry.ExpectedCatalogAt(plan.To), live)
            .Select(c => c with { Differences = c.Differences.Select(Accepted).ToList() }).ToList();
        foreach (var collection in collections)
        {
            Report(progress, $"{collection.Collection}: {collection.Summary}", collection.Passed ? CheckOutcome.Passed : CheckOutcome.Failed, blocks: true);
        }
        var results = await checks.RunPostMigrationAsync(target, plan, before, cancellationToken);
        foreach (var check in results) Report(progress, $"{check.Name}: {check.Summary}", check.Outcome, check.Blocks);
        Findings = new PostRunFindings(plan.To, live.Version, collections, results);
        return Findings.Blocking;
    }

    private ClassifiedDifference Accepted(ClassifiedDifference difference) =>
        difference.Severity == DriftSeverity.Blocking && accepted?.Invoke(difference) is { } why ? difference with { Severity = DriftSeverity.Tolerated, Why = why } : difference;

    /// <summary>A simulated check proved nothing, so its event says neither passed nor failed (Passed is null).</summary>
    private void Report(IProgress<RunEvent> progress, string message, CheckOutcome outcome, bool blocks) =>
        progress.Report(new RunEvent(time.GetUtcNow(), RunEventKind.Validation, message)
        {
            Passed = outcome switch { CheckOutcome.Passed => true, CheckOutcome.Failed => false, _ => null },
            Level = outcome != CheckOutcome.Failed ? RunEventLevel.Information : blocks ? RunEventLevel.Error : RunEventLevel.Warning,
        });
}
