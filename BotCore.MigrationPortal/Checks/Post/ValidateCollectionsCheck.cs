using BotCore.MigrationPortal.Checks.Mongo;
using BotCore.MigrationPortal.Text;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Checks.Post;

/// <summary>
/// The spec's "run validation on critical collections": MongoDB's validate on users, trades and every collection the run
/// touched that exists. It reads data and index structures, so it is the one check that finds storage-level damage.
/// </summary>
internal sealed class ValidateCollectionsCheck : DatabaseCheck
{
    public const string Id = "post.validate";

    /// <summary>The spec's critical collections, validated whatever the plan touched.</summary>
    public static readonly IReadOnlyList<string> Critical = ["users", "trades"];

    public override CheckDescriptor Descriptor { get; } = new(Id, "validate passes on critical collections",
        "Runs {validate: <name>} on users, trades and the touched collections that exist; fails when one is not valid or could not be " +
        $"validated through. validate locks each collection while it reads it, so it is stopped after {ValidateReport.TimeLimit.TotalSeconds:N0} s " +
        "and a larger collection is reported as not validated.",
        CheckPhase.PostMigration, CheckSeverity.Blocking);

    protected override string WhenSimulated => "simulated: the sandbox has no storage engine, so validate was not run";

    protected override async Task<CheckFinding> RunAsync(IMongoDatabase database, CheckContext context, CancellationToken cancellationToken)
    {
        var names = Critical.Concat(context.Plan.TouchedCollections).Distinct(StringComparer.Ordinal).Where(context.Exists).Order(StringComparer.Ordinal).ToList();
        if (names.Count == 0) return CheckFinding.Pass("nothing to validate: none of users, trades or the touched collections exists");
        var reports = new List<ValidateReport>();
        foreach (var name in names) reports.Add(await ValidateReport.RunAsync(database, name, cancellationToken));
        var invalid = reports.Count(r => r.Verdict == ValidateVerdict.Invalid);
        var notValidated = reports.Count(r => r.Verdict == ValidateVerdict.NotValidated);
        var summary = (invalid, notValidated) switch
        {
            (0, 0) => $"{Counted.Of(reports.Count, "collection")} valid",
            (_, 0) => $"{invalid} of {Counted.Of(reports.Count, "collection")} NOT valid",
            (0, _) => $"{notValidated} of {Counted.Of(reports.Count, "collection")} not validated",
            _ => $"{invalid} of {Counted.Of(reports.Count, "collection")} NOT valid, {notValidated} not validated",
        };
        return CheckFinding.Of(reports.All(r => r.Valid), summary, reports.Select(r => r.ToString()));
    }
}
