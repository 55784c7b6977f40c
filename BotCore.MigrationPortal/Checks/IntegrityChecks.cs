using BotCore.MigrationPortal.Checks.Mongo;
using BotCore.MigrationPortal.Checks.Post;
using BotCore.MigrationPortal.Checks.Pre;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Phases;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Targets;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Checks;

/// <summary>
/// Runs the integrity checks one after the other (they read a production database; one at a time keeps the load
/// predictable), times each, and turns a check that could not run into a failed result that says why: not proven is
/// not passed.
/// </summary>
public sealed class IntegrityChecks(MigrationRegistry registry, TimeProvider time, ILogger<IntegrityChecks> logger, ContractGate contracts) : IIntegrityChecks
{
    // The spec's three pre-migration checks, then its post-migration validation, in the order the spec lists them.
    private static readonly IIntegrityCheck[] FixedPreMigration = [new OrphanedTradesCheck(), new TradeQuantityCheck(), new EmailIndexCheck()];

    private static readonly IIntegrityCheck[] FixedPostMigration =
        [new SchemaVersionCheck(), new TouchedCatalogCheck(), new ValidateCollectionsCheck(), new DocumentCountsCheck(), new ConfidenceRangeCheck()];

    public IReadOnlyList<CheckDescriptor> Describe(MigrationPlan? plan) => ChecksFor(plan).Select(check => check.Descriptor).ToList();

    public Task<IReadOnlyList<CheckResult>> RunPreMigrationAsync(IMigrationTarget target, MigrationPlan plan, CancellationToken cancellationToken) =>
        RunPhaseAsync(CheckPhase.PreMigration, target, plan, null, cancellationToken);

    public Task<IReadOnlyList<CheckResult>> RunPostMigrationAsync(IMigrationTarget target, MigrationPlan plan, CollectionCounts before,
        CancellationToken cancellationToken) =>
        RunPhaseAsync(CheckPhase.PostMigration, target, plan, before, cancellationToken);

    public async Task<CheckResult> RunOneAsync(string checkId, IMigrationTarget target, MigrationPlan plan, CancellationToken cancellationToken)
    {
        var check = ChecksFor(plan).FirstOrDefault(c => c.Descriptor.Id == checkId)
            ?? throw new BadInputException($"There is no integrity check '{checkId}' for the plan {plan.From} → {plan.To}.");
        return await RunAsync(check, await ContextAsync(target, plan, null, cancellationToken), cancellationToken);
    }

    public async Task<CollectionCounts> CountAsync(IMigrationTarget target, MigrationPlan plan, CancellationToken cancellationToken)
    {
        var live = await target.ReadCatalogAsync(cancellationToken);
        var existing = plan.TouchedCollections.Where(name => live.Find(name) is not null).ToList();
        IReadOnlyDictionary<string, long> documents = CheckContext.DatabaseOf(target) switch
        {
            { } database => await DocumentCounts.CountAsync(database, existing, cancellationToken),
            // A simulated collection holds no documents.
            null when target.IsSandbox => existing.ToDictionary(name => name, _ => 0L),
            // Nothing could be counted; the post-migration count check says why when it cannot read either.
            null => new Dictionary<string, long>(),
        };
        return new CollectionCounts(documents, time.GetUtcNow().UtcDateTime);
    }

    private IEnumerable<IIntegrityCheck> ChecksFor(MigrationPlan? plan) =>
    [
        .. FixedPreMigration,
        .. plan is null ? [] : PlanDerivedChecks.PreMigration(plan),
        .. plan is null ? [] : ContractGateCheck.For(plan, contracts),
        .. FixedPostMigration,
        .. plan is null ? [] : PlanDerivedChecks.PostMigration(plan, registry),
    ];

    private async Task<IReadOnlyList<CheckResult>> RunPhaseAsync(CheckPhase phase, IMigrationTarget target, MigrationPlan plan, CollectionCounts? before,
        CancellationToken cancellationToken)
    {
        var context = await ContextAsync(target, plan, before, cancellationToken);
        var results = new List<CheckResult>();
        foreach (var check in ChecksFor(plan).Where(c => c.Descriptor.Phase == phase))
        {
            results.Add(phase == CheckPhase.PostMigration && SandboxFault(check.Descriptor, target) is { } fault ? fault : await RunAsync(check, context, cancellationToken));
        }
        logger.LogInformation("{Phase} integrity checks on {Target} for {From} → {To}: {Passed} of {Count} passed, {Simulated} simulated, {Blocking} blocking",
            phase, target.Name, plan.From, plan.To, results.Count(r => r.Passed), results.Count, results.Count(r => r.Outcome == CheckOutcome.Simulated),
            results.Count(r => r.Blocks));
        return results;
    }

    /// <summary>
    /// A sandbox fault armed for this post-migration check fails it in a run's validation (once; a check run on demand is never
    /// faulted), as blocking whatever its severity, since a tester arms it to see a run stop.
    /// </summary>
    private static CheckResult? SandboxFault(CheckDescriptor check, IMigrationTarget target) =>
        (target as SandboxMigrationTarget)?.TakePostCheckFault(check.Id) is { } fault
            ? new CheckResult(check.Id, check.Name, check.Phase, CheckSeverity.Blocking, CheckOutcome.Failed, fault.Message,
                [$"Not a finding: the check did not run. This is a {fault.Provenance}."], TimeSpan.Zero)
            : null;

    /// <summary>Reads the live catalog once: it says which collections exist. An unreachable target stops here, before any check.</summary>
    /// <exception cref="TargetUnreachableException">The target does not answer.</exception>
    private async Task<CheckContext> ContextAsync(IMigrationTarget target, MigrationPlan plan, CollectionCounts? before, CancellationToken cancellationToken) =>
        new(target, plan, registry, await target.ReadCatalogAsync(cancellationToken), before);

    private async Task<CheckResult> RunAsync(IIntegrityCheck check, CheckContext context, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        CheckFinding finding;
        try
        {
            finding = await check.RunAsync(context, cancellationToken);
        }
        catch (Exception e) when ((e is MongoException or TimeoutException or MigrationEngineException) && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Integrity check {CheckId} on {Target} could not run", check.Descriptor.Id, context.Target.Name);
            finding = CheckFinding.Fail($"could not run: {e.Message}");
        }
        var duration = time.GetElapsedTime(started);
        var descriptor = check.Descriptor;
        var result = new CheckResult(descriptor.Id, descriptor.Name, descriptor.Phase, descriptor.Severity, finding.Outcome, finding.Summary, finding.Evidence, duration);
        logger.Log(result.Failed ? LogLevel.Warning : LogLevel.Information,
            "Integrity check {CheckId} on {Target}: {Outcome} ({Severity}) in {DurationMs} ms: {Summary}",
            result.CheckId, context.Target.Name, result.Outcome, result.Severity, (long)duration.TotalMilliseconds, result.Summary);
        return result;
    }
}
