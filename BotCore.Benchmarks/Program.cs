using BotCore.MigrationPortal.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using System.Globalization;
using BotCore.Benchmarks;
using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Hosting;
using BotCore.MigrationPortal.Targets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Seeds a throw-away database and times the portal's backup and verification (and mongodump, when it is installed), the
// orphan check and the backfills (portal data step, updateMany, the spec's skip/limit loop) on it. --help lists the cases.
const string Target = "benchmark";
if (BackfillSizesOption() is not { } backfillSizes || CountOption("--skip-limit-max-seconds", BenchmarkOptions.Default.SkipLimitMaxSeconds) is not { } skipLimitSeconds)
{
    Console.Error.WriteLine("--backfill takes whole numbers of at least 1 separated by commas (e.g. 100000,1000000); --skip-limit-max-seconds a whole number of at least 1.");
    return 2;
}
var options = new BenchmarkOptions(backfillSizes, skipLimitSeconds);
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(BenchmarkHelp.Render(options));
    return 0;
}
var uri = Environment.GetEnvironmentVariable("MONGODB_URI");
if (string.IsNullOrWhiteSpace(uri))
{
    Console.Error.WriteLine("Set MONGODB_URI to a MongoDB 7 server, e.g. MONGODB_URI=mongodb://localhost:27017/?directConnection=true (docker compose up -d mongo).");
    return 2;
}
if (CountOption("--users", 100_000) is not { } users || CountOption("--trades", 1_000_000) is not { } trades)
{
    Console.Error.WriteLine("--users and --trades take a whole number of at least 1.");
    return 2;
}
var databaseName = Option("--database") ?? "botcore_benchmark";
if (!databaseName.Contains("bench", StringComparison.OrdinalIgnoreCase))
{
    // The database is dropped before seeding: a name that says so keeps a typo from dropping a real one.
    Console.Error.WriteLine($"The database name must contain \"bench\" (it is dropped and re-created): '{databaseName}' does not.");
    return 2;
}
var scratch = Path.Combine(Path.GetTempPath(), $"botcore-benchmark-{Guid.NewGuid():N}");
var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    [$"Targets:{Target}:ConnectionString"] = uri,
    [$"Targets:{Target}:Database"] = databaseName,
    [$"Targets:{Target}:Tier"] = "Development",
    ["Backups:Location"] = Path.Combine(scratch, "backups"),
}).Build();
await using var services = new ServiceCollection()
    .AddLogging(logging => logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning))
    .AddMigrationEngine(configuration, sandbox: false)
    .AddAuditLog(new PortalMode(IsSandbox: true))
    // Backups authorise whoever asks; the benchmark asks as a trusted caller, so the user store is never read.
    .AddPortalSecurity(configuration, new HostingEnvironment { EnvironmentName = Environments.Production }, new PortalMode(IsSandbox: true))
    .AddBackups(configuration, new PortalMode(IsSandbox: false))
    .AddSingleton<Seeder>()
    .BuildServiceProvider();
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

var target = services.GetRequiredService<TargetRegistry>().Get(Target);
var database = ((MongoMigrationTarget)target).Database;
var created = false;
try
{
    Console.WriteLine($"Seeding {databaseName} ({target.Address}): {users:N0} users and {trades:N0} trades…");
    await database.Client.DropDatabaseAsync(databaseName, stop.Token);
    created = true;
    var seeded = await services.GetRequiredService<Seeder>().SeedAsync(target, database, users, trades, stop.Token);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"Seeded {seeded.Documents:N0} documents, {seeded.BsonBytes / (1024.0 * 1024):N1} MB of BSON, in {seeded.Elapsed.TotalSeconds:N1} s"));

    var context = new BenchmarkContext(database, uri, Target, target, services.GetRequiredService<IBackupService>(), scratch, seeded);
    var results = new List<BenchmarkResult>();
    foreach (var benchmark in BenchmarkCases.For(options))
    {
        Console.WriteLine($"Running: {benchmark.Name}");
        if (await benchmark.RunAsync(context, stop.Token) is { } result) results.Add(result);
    }
    Console.WriteLine();
    Console.WriteLine(ResultTable.Render(results));
    Console.WriteLine();
    Console.WriteLine(ResultTable.RenderRatios(results, BenchmarkCases.Ratios));
    return 0;
}
catch (Exception e) when (e is MigrationEngineException || BackupFailures.Describe(e, Target) is not null)
{
    Console.Error.WriteLine($"The benchmark stopped: {BackupFailures.Describe(e, Target) ?? e.Message}.");
    return 1;
}
finally
{
    if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
    if (created && !args.Contains("--keep")) await database.Client.DropDatabaseAsync(databaseName, CancellationToken.None);
}

IReadOnlyList<int>? BackfillSizesOption()
{
    if (Option("--backfill") is not { } text) return BenchmarkOptions.Default.BackfillSizes;
    var sizes = text.Split(',', StringSplitOptions.TrimEntries)
        .Select(part => int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size >= 1 ? size : (int?)null).ToList();
    return sizes.Count > 0 && sizes.All(size => size is not null) ? sizes.Select(size => size!.Value).ToList() : null;
}

string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

int? CountOption(string name, int fallback) =>
    Option(name) is not { } text ? fallback
    : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= 1 ? count
    : null;
