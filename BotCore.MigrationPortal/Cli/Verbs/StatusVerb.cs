using BotCore.MigrationPortal.Adoption;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.History;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Targets;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Cli.Verbs;

public sealed class StatusVerb(MigrationRegistry registry, TargetRegistry targets, CliConsole console) : ICliVerb
{
    public string Name => "status";
    public string Usage => "status --target T [--json]";
    public string Summary => "applied version, changelog, pending migrations, migrations modified after they were applied";
    public IReadOnlyCollection<string> ValueOptions => ["target"];
    public IReadOnlyCollection<string> FlagOptions => ["json"];

    public async Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var target = targets.Get(arguments.Required("target"));
        var reading = await TargetReading.ReadAsync(target, cancellationToken);
        if (reading.NotAdopted is { } notAdopted)
        {
            console.Out.WriteLine(arguments.Flag("json")
                ? new BsonDocument { { "target", target.Name }, { "adopted", false }, { "details", notAdopted } }.ToJson(CatalogJson.Relaxed)
                : AdoptionNeed.Sentence(target.Name, notAdopted));
            return ExitCodes.Success;
        }
        var history = reading.History!;
        var statuses = MigrationStatus.For(registry, history);
        if (arguments.Flag("json")) WriteJson(target, history, statuses);
        else WriteText(target, history, statuses);
        return ExitCodes.Success;
    }

    private void WriteText(IMigrationTarget target, TargetHistory history, IReadOnlyList<MigrationStatus> statuses)
    {
        var output = console.Out;
        output.WriteLine($"Target {target.Name} ({target.Tier}) at {target.Address}");
        output.WriteLine($"Applied version: {history.Applied}" +
            (history.UpdatedAt is { } at ? $" (set {at:u} by {history.UpdatedBy})" : ""));
        output.WriteLine();
        output.WriteLine($"{"VERSION",-8} {"STATE",-9} {"CHECKSUM",-13} DETAILS");
        foreach (var status in statuses)
        {
            output.WriteLine($"{status.Migration.Version,-8} {status.State.ToString().ToLowerInvariant(),-9} {status.Migration.ShortChecksum,-13} {status.Explanation}");
        }
        output.WriteLine();
        output.WriteLine($"Pending: {Versions(statuses, MigrationState.Pending, MigrationState.Failed)}");
        output.WriteLine($"Modified after apply: {Versions(statuses, MigrationState.Modified)}");
        output.WriteLine();
        output.WriteLine(history.Changelog.Count == 0 ? "Changelog: empty" : $"Changelog ({history.Changelog.Count} entries, newest last):");
        foreach (var entry in history.Changelog)
        {
            output.WriteLine($"  {entry.FinishedAt:u} {entry.Version,-7} {entry.Direction,-4} {entry.Status,-11} run {entry.RunId} by {entry.AppliedBy}" +
                (entry.Error is null ? "" : $": {entry.Error}"));
        }
    }

    private static string Versions(IEnumerable<MigrationStatus> statuses, params MigrationState[] states)
    {
        var versions = statuses.Where(s => states.Contains(s.State)).Select(s => s.Migration.Version.ToString()).ToList();
        return versions.Count == 0 ? "none" : string.Join(", ", versions);
    }

    private void WriteJson(IMigrationTarget target, TargetHistory history, IReadOnlyList<MigrationStatus> statuses) =>
        console.Out.WriteLine(new BsonDocument
        {
            { "target", target.Name },
            { "tier", target.Tier.ToString() },
            { "address", target.Address },
            { "appliedVersion", history.Applied.ToString() },
            { "updatedAt", history.UpdatedAt is { } at ? at : BsonNull.Value },
            {
                "migrations", new BsonArray(statuses.Select(s => new BsonDocument
                {
                    { "version", s.Migration.Version.ToString() },
                    { "state", s.State.ToString().ToLowerInvariant() },
                    { "checksum", s.Migration.Checksum },
                    { "appliedChecksum", s.AppliedEntry?.Checksum is { } c ? c : BsonNull.Value },
                    { "appliedAt", s.AppliedEntry is { } e ? e.FinishedAt : BsonNull.Value },
                    { "appliedBy", s.AppliedEntry?.AppliedBy is { } by ? by : BsonNull.Value },
                    { "details", s.Explanation },
                }))
            },
            { "pending", new BsonArray(statuses.Where(s => s.State is MigrationState.Pending or MigrationState.Failed).Select(s => s.Migration.Version.ToString())) },
            { "modified", new BsonArray(statuses.Where(s => s.State == MigrationState.Modified).Select(s => s.Migration.Version.ToString())) },
            { "changelog", new BsonArray(history.Changelog.Select(e => e.ToBsonDocument())) },
        }.ToJson(CatalogJson.Relaxed));
}
