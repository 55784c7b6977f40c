using BotCore.MigrationPortal.Checks.Mongo;
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
        "Runs {validate: <name>} on users, trades and the touched collections that exist; fails when one reports valid: false. " +
        "validate runs in the background, without blocking the application.",
        CheckPhase.PostMigration, CheckSeverity.Blocking);

    protected override string WhenSimulated => "simulated: the sandbox has no storage engine, so validate was not run";

    protected override async Task<CheckFinding> RunAsync(IMongoDatabase database, CheckContext context, CancellationToken cancellationToken)
    {
        var names = Critical.Concat(context.Plan.TouchedCollections).Distinct(StringComparer.Ordinal).Where(context.Exists).Order(StringComparer.Ordinal).ToList();
        if (names.Count == 0) return CheckFinding.Pass("nothing to validate: none of users, trades or the touched collections exists");
        var reports = new List<ValidateReport>();
        foreach (var name in names) reports.Add(await ValidateReport.RunAsync(database, name, cancellationToken));
        var invalid = reports.Count(r => !r.Valid);
        return CheckFinding.Of(invalid == 0,
            invalid == 0 ? $"{reports.Count} collection(s) valid" : $"{invalid} of {reports.Count} collection(s) NOT valid",
            reports.Select(r => r.ToString()));
    }
}
