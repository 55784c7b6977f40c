using System.Diagnostics;
using BotCore.MigrationPortal.Engine.Running;

namespace BotCore.Benchmarks;

/// <summary>The portal's backup of the whole database (mongodump's layout, gzip, hashed), as "Back up whole database" takes it.</summary>
public sealed class BackupCase : IBenchmarkCase
{
    public string Name => "portal backup (whole database)";

    public async Task<BenchmarkResult?> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var backup = await context.Backups.CreateAsync(context.Actor, context.Target, null, null, new Progress<RunEvent>(), cancellationToken);
        clock.Stop();
        context.LastBackup = backup;
        return new BenchmarkResult(Name, backup.Collections.Sum(c => c.Documents), context.Seeded.BsonBytes, clock.Elapsed, backup.TotalBytes);
    }
}
