using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Targets;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Cli.Verbs;

public sealed class DriftVerb(MigrationRegistry registry, TargetRegistry targets, CliConsole console) : ICliVerb
{
    public string Name => "drift";
    public string Usage => "drift --target T [--json]";
    public string Summary => "compares the live catalog with the expected one at the applied version; exit 1 when they differ";
    public IReadOnlyCollection<string> ValueOptions => ["target"];
    public IReadOnlyCollection<string> FlagOptions => ["json"];

    public async Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var target = targets.Get(arguments.Required("target", Name));
        var report = DriftReport.Of(registry, await target.ReadCatalogAsync(cancellationToken));
        if (arguments.Flag("json"))
        {
            console.Out.WriteLine(new BsonDocument
            {
                { "target", target.Name },
                { "version", report.Version.ToString() },
                { "drift", report.HasDrift },
                {
                    "differences", new BsonArray(report.Differences.Select(d => new BsonDocument
                    {
                        { "kind", d.Kind.ToString() },
                        { "subject", d.Subject },
                        { "description", d.DescribeAsDrift() },
                        { "expected", d.Expected ?? BsonNull.Value },
                        { "actual", d.Actual ?? BsonNull.Value },
                    }))
                },
                { "unmanagedCollections", new BsonArray(report.UnmanagedCollections) },
            }.ToJson(CatalogJson.Relaxed));
        }
        else
        {
            console.Out.WriteLine(report.HasDrift
                ? $"{target.Name} has drifted from the expected catalog of {report.Version} ({report.Differences.Count} difference(s)):"
                : $"{target.Name} matches the expected catalog of {report.Version}.");
            foreach (var difference in report.Differences) console.Out.WriteLine($"  - {difference.DescribeAsDrift()}");
            if (report.UnmanagedCollections.Count > 0)
            {
                console.Out.WriteLine($"Collections the migrations do not manage (not drift): {string.Join(", ", report.UnmanagedCollections)}");
            }
        }
        return report.HasDrift ? ExitCodes.Failure : ExitCodes.Success;
    }
}
