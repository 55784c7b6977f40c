using BotCore.MigrationPortal.Engine.Batching;

namespace BotCore.Benchmarks;

/// <summary>What the command line chose: the sizes of the backfill collections and how long the skip/limit loop may run.</summary>
public sealed record BenchmarkOptions(IReadOnlyList<int> BackfillSizes, int SkipLimitMaxSeconds)
{
    public static BenchmarkOptions Default { get; } = new([100_000, 1_000_000], 900);
}

/// <summary>
/// The cases run, in this order, against the same seeded database. To time something else, write an <see cref="IBenchmarkCase"/>
/// and add it here: its row appears in the table.
/// </summary>
public static class BenchmarkCases
{
    /// <summary>The portal's defaults (Migrations:Batching), which are also the spec's loop's: 1,000 documents, then 100 ms.</summary>
    private static readonly BatchOptions Defaults = new();

    private static readonly BatchOptions NoPause = Defaults with { PauseMilliseconds = 0 };

    public static IReadOnlyList<IBenchmarkCase> For(BenchmarkOptions options) =>
    [
        new BackupCase(),
        new VerifyCase(),
        new MongodumpCase(),
        new OrphanLookupCase(),
        new OrphanNinCase(),
        .. options.BackfillSizes.SelectMany(size => Backfills(new BackfillWorkload(size), options.SkipLimitMaxSeconds)),
    ];

    private static IEnumerable<IBenchmarkCase> Backfills(BackfillWorkload workload, int skipLimitMaxSeconds) =>
    [
        new PortalBackfillCase(workload, Defaults),
        new PortalBackfillCase(workload, NoPause),
        new PortalBackfillCase(workload, NoPause with { BatchSize = 100 }),
        new PortalBackfillCase(workload, NoPause with { BatchSize = 10_000 }),
        new UpdateManyBackfillCase(workload),
        new SkipLimitBackfillCase(workload, Defaults, skipLimitMaxSeconds),
        new SkipLimitBackfillCase(workload, NoPause, skipLimitMaxSeconds),
        new ShadowRebuildCase(workload, NoPause),
    ];

    /// <summary>The comparisons the ratio table gives at each size: numerator's documents/s ÷ denominator's.</summary>
    public static IReadOnlyList<(string Numerator, string Denominator)> Ratios { get; } =
    [
        // Rebuilding the collection beside the original against changing it in place.
        (new ShadowRebuildCase(new BackfillWorkload(1), NoPause).Method, PortalBackfillCase.MethodFor(NoPause)),
        // The portal at its defaults against the fastest possible.
        (PortalBackfillCase.MethodFor(Defaults), UpdateManyBackfillCase.MethodName),
        // The portal against the spec's loop, both pausing 100 ms between batches of 1,000.
        (PortalBackfillCase.MethodFor(Defaults), SkipLimitBackfillCase.MethodFor(Defaults)),
        // The same without pauses: the cost of paging alone.
        (PortalBackfillCase.MethodFor(NoPause), SkipLimitBackfillCase.MethodFor(NoPause)),
    ];
}
