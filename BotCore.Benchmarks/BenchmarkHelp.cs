namespace BotCore.Benchmarks;

/// <summary>What <c>--help</c> prints: how to run the benchmark, its options, and every case it would run with them.</summary>
public static class BenchmarkHelp
{
    public static string Render(BenchmarkOptions options) => string.Join(Environment.NewLine,
    [
        "BotCore.Benchmarks: seeds a throw-away database and times the portal's work on it.",
        "",
        "Usage: MONGODB_URI=mongodb://localhost:27017/?directConnection=true dotnet run -c Release --project BotCore.Benchmarks [-- options]",
        "",
        "Options:",
        "  --users N                    users to seed (default 100,000)",
        "  --trades N                   trades to seed (default 1,000,000)",
        "  --backfill N[,N…]            sizes of the backfill collections (default 100000,1000000)",
        $"  --skip-limit-max-seconds N   stop the spec's skip/limit loop after N s and report its rate so far (default {BenchmarkOptions.Default.SkipLimitMaxSeconds})",
        "  --database NAME              the database, dropped and re-created; its name must contain \"bench\" (default botcore_benchmark)",
        "  --keep                       leave the database behind",
        "  --help                       this text",
        "",
        "Cases, in order:",
        .. BenchmarkCases.For(options).Select(c => $"  - {c.Name}"),
        "",
        "Ratios printed after the table (documents/s ÷ documents/s, at each backfill size):",
        .. BenchmarkCases.Ratios.Select(r => $"  - {r.Numerator} ÷ {r.Denominator}"),
    ]);
}
