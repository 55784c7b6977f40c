namespace BotCore.MigrationPortal.Performance;

/// <summary>The sentences this feature says in more than one place (the page, the checklist), written once.</summary>
public static class PerformanceWords
{
    public const string SimulatedExplain =
        "simulated: the sandbox's target holds no documents and has no query planner, so explain was not run and there are no numbers";

    public const string SimulatedWatch = "simulated: the sandbox's target runs no queries, so there are no slow operations to watch";

    public const string ProfilingOff = "profiling is off (level 0); enable with db.setProfilingLevel(1, { slowms: 100 })";

    public const string MissingProfileRead = "missing privilege find on system.profile (the dbAdmin role grants it)";

    public const string MissingInprog = "missing privilege inprog on the cluster (the clusterMonitor role grants it)";

    /// <summary>Neither source could be read: says what is missing for each, so a DBA grants one of them.</summary>
    public static string NotAvailable(string profiler, string currentOp) => $"not available: {profiler}; and $currentOp: {currentOp}";

    public static string MissingFind(string collection) => $"not available: missing privilege find on {collection} (explain needs what the query needs)";
}
