namespace BotCore.MigrationPortal.Performance;

/// <summary>
/// The spec's "check performance metrics" for one run: each critical query of its migrations measured before and after it, and the
/// slow operations on the collections it touched in the window after it. Stored with the run (null on runs before this feature).
/// </summary>
public sealed record RunPerformance
{
    public IReadOnlyList<CriticalQueryPerformance> Queries { get; init; } = [];

    /// <summary>The watch of slow operations after the run; null until the run succeeded.</summary>
    public SlowOperationWatch? Watch { get; init; }

    /// <summary>Records the after-run measurement of each query beside its before-run one (matched by id).</summary>
    public RunPerformance WithAfter(IReadOnlyList<CriticalQueryPerformance> after) => this with
    {
        Queries = after.Select(a => Queries.FirstOrDefault(b => b.QueryId == a.QueryId) is { } before ? before with { After = a.After } : a).ToList(),
    };
}

/// <summary>One critical query, as a migration declares it, with what explain measured before and after the run.</summary>
/// <param name="QueryId">The declaring version and the query's position there, "1.0.0#1", as the post-run explain check names it.</param>
/// <param name="Shape">The command explained, in MongoDB's JSON: what a DBA pastes into mongosh to look again.</param>
public sealed record CriticalQueryPerformance(string QueryId, string Collection, string Description, string Shape, QueryMeasurement? Before, QueryMeasurement? After)
{
    public QueryComparison Comparison => QueryComparison.Of(Before, After);
}

/// <summary>
/// What <c>explain</c> with <c>executionStats</c> said about one query at one moment: its numbers, or, when it could not be measured
/// (a simulated target, a missing collection, a missing privilege), why not, so that no number is ever made up.
/// </summary>
public sealed record QueryMeasurement(DateTime At, QueryStats? Stats, string? NotMeasured, bool Simulated = false)
{
    public static QueryMeasurement Of(DateTime at, QueryStats stats) => new(at, stats, null);

    public static QueryMeasurement Unavailable(DateTime at, string why) => new(at, null, why);

    public static QueryMeasurement SimulatedAt(DateTime at) => new(at, null, PerformanceWords.SimulatedExplain, Simulated: true);
}

/// <summary>The numbers of an explain's <c>executionStats</c> and a summary of its winning plan.</summary>
/// <param name="Plan">The winning plan's stages, "LIMIT > FETCH > IXSCAN idx_trades_user_created".</param>
/// <param name="Indexes">The indexes the winning plan scans, empty for none.</param>
/// <param name="CollectionScan">The winning plan scans the collection itself (COLLSCAN).</param>
public sealed record QueryStats(long KeysExamined, long DocsExamined, long Returned, long ExecutionMillis, string Plan, IReadOnlyList<string> Indexes, bool CollectionScan)
{
    /// <summary>"IXSCAN idx_trades_user_created", "COLLSCAN": what a DBA reads first.</summary>
    public string Access => CollectionScan ? "COLLSCAN" : Indexes.Count > 0 ? $"IXSCAN {string.Join(", ", Indexes)}" : "no scan";
}
