using BotCore.MigrationPortal.Adoption;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Targets;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Cli.Verbs;

/// <summary>
/// <c>baseline</c>: adopts a database built outside the portal (the spec's scripts). Without <c>--at</c>, a dry run: the
/// database compared with every version, the differences classified, and the version proposed. With <c>--at V --reason "…"
/// --confirm</c>, it records V: one version document and a changelog entry per migration, marked baselined.
/// </summary>
public sealed class BaselineVerb(MigrationRegistry registry, TargetRegistry targets, BaselineWriter writer, TimeProvider time, CliConsole console) : ICliVerb
{
    public string Name => "baseline";
    public string Usage => "baseline --target T [--json] | baseline --target T --at V --reason \"...\" --confirm [--accept-differences] [--confirm-production]";
    public string Summary =>
        "adopts a database the spec's scripts built: compares it with every version and proposes one (exit 0 when one fits, 1 when none); " +
        "with --at, --reason and --confirm it records that version (touches no data and no index)";
    public IReadOnlyCollection<string> ValueOptions => ["target", "at", "reason"];
    public IReadOnlyCollection<string> FlagOptions => ["json", "confirm", "accept-differences", "confirm-production"];

    public async Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var target = targets.Get(arguments.Required("target"));
        return arguments.Version("at") is { } version
            ? await AdoptAsync(target, version, arguments, cancellationToken)
            : await CompareAsync(target, arguments.Flag("json"), cancellationToken);
    }

    private async Task<int> CompareAsync(IMigrationTarget target, bool json, CancellationToken cancellationToken)
    {
        var comparison = await BaselineComparison.ReadAsync(registry, target, cancellationToken);
        if (json) WriteJson(target, comparison);
        else WriteText(target, comparison);
        return comparison.Proposed is null ? ExitCodes.Failure : ExitCodes.Success;
    }

    private async Task<int> AdoptAsync(IMigrationTarget target, SchemaVersion version, CliArguments arguments, CancellationToken cancellationToken)
    {
        var reason = arguments.Value("reason");
        if (reason is null || reason.Trim().Length < 10) throw new BadInputException("Say why in --reason \"...\" (at least 10 characters): it is written in the changelog.");
        if (!arguments.Flag("confirm")) throw new BadInputException($"Add --confirm to record {version} on {target.Name}; without --at, 'baseline' only compares.");
        if (TargetNameConfirmation.RequiredFor(target.Tier) && !arguments.Flag("confirm-production"))
        {
            throw new BadInputException($"Target '{target.Name}' is a Production target: add --confirm-production. In the portal, a second Approver confirms it.");
        }
        var comparison = await writer.AdoptAsync(target, version, reason.Trim(), CliIdentity.User, CliIdentity.NewRunId(time), arguments.Flag("accept-differences"),
            cancellationToken);
        console.Out.WriteLine($"Adopted {target.Name} at {version}: {comparison.VersionDocumentsPlan(version)}; " +
            $"{registry.Migrations.Count(m => m.Version <= version)} changelog entries marked baselined. No data or index was touched.");
        return ExitCodes.Success;
    }

    private void WriteText(IMigrationTarget target, BaselineComparison comparison)
    {
        var output = console.Out;
        output.WriteLine($"Target {target.Name} ({target.Tier}) at {target.Address}");
        output.WriteLine(AdoptionNeed.Of(comparison.Snapshot) is { } need ? $"Not adopted: {need}." : (comparison.Snapshot.ChangelogEntries > 0
            ? $"It has a migration changelog ({comparison.Snapshot.ChangelogEntries} entries): it is adopted already."
            : "It has no version document: nothing was applied, there is nothing to adopt."));
        output.WriteLine($"Version documents: {(comparison.Snapshot.VersionDocuments.Count == 0 ? "none" : "")}");
        foreach (var document in comparison.Snapshot.VersionDocuments) output.WriteLine($"  - {document.Describe()}");
        output.WriteLine();
        foreach (var match in comparison.Versions)
        {
            output.WriteLine($"{match.Version}: {match.Fit.ToString().ToLowerInvariant()}");
            DriftText.Write(new DriftReport(match.Version, match.Differences), output);
        }
        output.WriteLine();
        output.WriteLine(comparison.Proposed is { } proposed
            ? $"Proposed: {proposed.Version} ({proposed.Summary}). To adopt: baseline --target {target.Name} --at {proposed.Version} --reason \"...\" --confirm" +
                (proposed.Fit == BaselineFit.Close ? " --accept-differences" : "") + (TargetNameConfirmation.RequiredFor(target.Tier) ? " --confirm-production" : "")
            : "No version fits: collections the migrations own are missing or belong to another version. Repair the database by hand first.");
    }

    private void WriteJson(IMigrationTarget target, BaselineComparison comparison) =>
        console.Out.WriteLine(new BsonDocument
        {
            { "target", target.Name },
            { "needsAdoption", comparison.NeedsAdoption },
            { "changelogEntries", comparison.Snapshot.ChangelogEntries },
            { "versionDocuments", new BsonArray(comparison.Snapshot.VersionDocuments.Select(d => new BsonDocument
                {
                    { "id", d.Id }, { "value", d.Value is null ? BsonNull.Value : d.Value },
                    { "updatedAt", d.UpdatedAt is { } at ? at : BsonNull.Value },
                })) },
            { "proposed", comparison.Proposed is { } proposed ? proposed.Version.ToString() : BsonNull.Value },
            {
                "versions", new BsonArray(comparison.Versions.Select(v => new BsonDocument
                {
                    { "version", v.Version.ToString() },
                    { "fit", v.Fit.ToString() },
                    { "differences", new BsonArray(v.Differences.Select(d => new BsonDocument
                        {
                            { "severity", d.Severity.ToString() }, { "description", d.Difference.DescribeAsDrift() }, { "why", d.Why },
                        })) },
                }))
            },
        }.ToJson(CatalogJson.Relaxed));
}
