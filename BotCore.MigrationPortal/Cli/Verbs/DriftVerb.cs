using BotCore.MigrationPortal.Adoption;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Targets;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Cli.Verbs;

public sealed class DriftVerb(MigrationRegistry registry, TargetRegistry targets, CliConsole console) : ICliVerb
{
    public string Name => "drift";
    public string Usage => "drift --target T [--json]";
    public string Summary => "compares the live catalog with the expected one at the applied version, each difference blocking, tolerated or informational; exit 1 on blocking drift";
    public IReadOnlyCollection<string> ValueOptions => ["target"];
    public IReadOnlyCollection<string> FlagOptions => ["json"];

    public async Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var target = targets.Get(arguments.Required("target"));
        // Drift is measured from the version the target is at, which a database migrated outside the portal does not have yet.
        await TargetReading.ReadAdoptedAsync(target, cancellationToken);
        var report = DriftReport.Of(registry, await target.ReadCatalogAsync(cancellationToken));
        if (arguments.Flag("json"))
        {
            console.Out.WriteLine(new BsonDocument
            {
                { "target", target.Name },
                { "version", report.Version.ToString() },
                { "drift", report.HasDrift },
                { "fingerprint", report.Fingerprint },
                {
                    "differences", new BsonArray(report.Differences.Select(d => new BsonDocument
                    {
                        { "severity", d.Severity.ToString() },
                        { "kind", d.Difference.Kind.ToString() },
                        { "subject", d.Difference.Subject },
                        { "description", d.Difference.DescribeAsDrift() },
                        { "why", d.Why },
                        { "expected", d.Difference.Expected ?? BsonNull.Value },
                        { "actual", d.Difference.Actual ?? BsonNull.Value },
                    }))
                },
            }.ToJson(CatalogJson.Relaxed));
        }
        else
        {
            console.Out.WriteLine(report.HasDrift
                ? $"{target.Name} has drifted from the expected catalog of {report.Version}:"
                : $"{target.Name} matches the expected catalog of {report.Version} (no blocking difference).");
            DriftText.Write(report, console.Out);
        }
        return report.HasDrift ? ExitCodes.Failure : ExitCodes.Success;
    }
}
