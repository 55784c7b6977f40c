namespace BotCore.MigrationPortal.Performance;

public enum ComparisonVerdict
{
    /// <summary>Not both measured: nothing to compare (simulated, unavailable, or not yet).</summary>
    NotCompared,
    Same,
    Better,
    Worse,
}

/// <summary>
/// Before against after for one query. Worse is a plan that lost its index (now a collection scan), or one that examines more than
/// twice the documents or keys for each one it returns; the time alone is not judged, because a few milliseconds on a warm or cold
/// cache say nothing. Better is the reverse.
/// </summary>
public sealed record QueryComparison(ComparisonVerdict Verdict, string Summary)
{
    /// <summary>Examined per returned must change by more than this factor to count.</summary>
    private const double Factor = 2.0;

    public static QueryComparison Of(QueryMeasurement? before, QueryMeasurement? after)
    {
        if (after is null) return new(ComparisonVerdict.NotCompared, "not measured after the run yet");
        if (after.Simulated) return new(ComparisonVerdict.NotCompared, PerformanceWords.SimulatedExplain);
        if (after.Stats is not { } now) return new(ComparisonVerdict.NotCompared, $"after the run: {after.NotMeasured}");
        if (before?.Stats is not { } then)
        {
            return new(ComparisonVerdict.NotCompared,
                $"after: {Describe(now)} (no measurement before the run{(before?.NotMeasured is { } why ? $": {why}" : "")})");
        }
        var verdict = VerdictOf(then, now);
        var plan = then.Access == now.Access ? $"plan unchanged ({now.Access})" : $"plan {then.Access} → {now.Access}";
        var words = verdict switch
        {
            ComparisonVerdict.Worse => "WORSE",
            ComparisonVerdict.Better => "better",
            _ => "same",
        };
        return new(verdict, $"{words}: {plan}; docs examined {then.DocsExamined} → {now.DocsExamined}, keys {then.KeysExamined} → {now.KeysExamined}, " +
            $"returned {then.Returned} → {now.Returned}, {then.ExecutionMillis} → {now.ExecutionMillis} ms");
    }

    private static ComparisonVerdict VerdictOf(QueryStats before, QueryStats after)
    {
        if (after.CollectionScan && !before.CollectionScan) return ComparisonVerdict.Worse;
        if (before.CollectionScan && !after.CollectionScan) return ComparisonVerdict.Better;
        var docs = Ratio(Examined(after.DocsExamined, after), Examined(before.DocsExamined, before));
        var keys = Ratio(Examined(after.KeysExamined, after), Examined(before.KeysExamined, before));
        if (docs > Factor || keys > Factor) return ComparisonVerdict.Worse;
        if (docs < 1 / Factor && keys <= 1 || keys < 1 / Factor && docs <= 1) return ComparisonVerdict.Better;
        return ComparisonVerdict.Same;
    }

    // Per document returned, so that more data (more matching trades) is not mistaken for a worse plan; +1 keeps empty results comparable.
    private static double Examined(long examined, QueryStats stats) => (examined + 1.0) / (stats.Returned + 1.0);

    private static double Ratio(double after, double before) => after / before;

    private static string Describe(QueryStats stats) =>
        $"{stats.Access}, {stats.DocsExamined} docs and {stats.KeysExamined} keys examined, {stats.Returned} returned, {stats.ExecutionMillis} ms";
}
