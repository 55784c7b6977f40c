using System.ComponentModel;
using System.Diagnostics;

namespace BotCore.Benchmarks;

/// <summary>mongodump --gzip of the same database, for comparison, when mongodump is on the PATH.</summary>
public sealed class MongodumpCase : IBenchmarkCase
{
    public string Name => "mongodump --gzip (same database)";

    public async Task<BenchmarkResult?> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var output = Path.Combine(context.ScratchFolder, "mongodump");
        var start = new ProcessStartInfo("mongodump") { RedirectStandardError = true, RedirectStandardOutput = true };
        // The connection string goes to the tool as an argument and is never printed here.
        foreach (var argument in new[] { "--uri", context.ConnectionString, "--db", context.Database.DatabaseNamespace.DatabaseName, "--gzip", "--out", output, "--quiet" })
        {
            start.ArgumentList.Add(argument);
        }
        var clock = Stopwatch.StartNew();
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("mongodump did not start");
        }
        catch (Win32Exception)
        {
            Console.WriteLine($"{Name}: skipped, mongodump is not on the PATH");
            return null;
        }
        using (process)
        {
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            clock.Stop();
            if (process.ExitCode != 0)
            {
                Console.WriteLine($"{Name}: mongodump exited with {process.ExitCode}: {(await errors).Trim()}");
                return null;
            }
        }
        var written = Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories).Sum(file => new FileInfo(file).Length);
        return new BenchmarkResult(Name, context.Seeded.Documents, context.Seeded.BsonBytes, clock.Elapsed, written);
    }
}
