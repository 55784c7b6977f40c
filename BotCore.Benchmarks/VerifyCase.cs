using System.Diagnostics;
using BotCore.MigrationPortal.Engine.Running;

namespace BotCore.Benchmarks;

/// <summary>
/// The portal's verification of that backup: every file read through, restored into a scratch database, read back and
/// compared, indexes built, the scratch database dropped.
/// </summary>
public sealed class VerifyCase : IBenchmarkCase
{
    public string Name => "portal verify (restore to scratch + compare)";

    public async Task<BenchmarkResult?> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        if (context.LastBackup is not { } backup)
        {
            Console.WriteLine($"{Name}: skipped, there is no backup to verify");
            return null;
        }
        var clock = Stopwatch.StartNew();
        var verified = await context.Backups.VerifyAsync(context.Actor, backup.Id, new Progress<RunEvent>(), cancellationToken);
        clock.Stop();
        return new BenchmarkResult(Name, backup.Collections.Sum(c => c.Documents), context.Seeded.BsonBytes, clock.Elapsed,
            Note: verified.IsVerified ? "passed" : $"FAILED: {string.Join("; ", verified.Verification?.Details ?? [])}");
    }
}
