namespace BotCore.Benchmarks;

/// <summary>
/// The cases run, in this order, against the same seeded database. To time something else (the integrity checks'
/// orphan query, say), write an <see cref="IBenchmarkCase"/> and add it here: its row appears in the table.
/// </summary>
public static class BenchmarkCases
{
    public static IReadOnlyList<IBenchmarkCase> All { get; } =
    [
        new BackupCase(),
        new VerifyCase(),
        new MongodumpCase(),
        new OrphanLookupCase(),
        new OrphanNinCase(),
    ];
}
