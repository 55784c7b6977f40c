using BotCore.MigrationPortal.Checks.Mongo;
using BotCore.MigrationPortal.Text;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Checks.Pre;

/// <summary>The spec's pre-migration check 1: trades whose user_id matches no user.</summary>
internal sealed class OrphanedTradesCheck : DatabaseCheck
{
    public const string Id = "pre.orphaned-trades";

    public override CheckDescriptor Descriptor { get; } = new(Id, "No orphaned trades",
        "Trades whose user_id matches no user, each trade joined to users through the _id index (the spec's $nin over distinct(\"_id\") " +
        "fails past 16 MB of user ids).",
        CheckPhase.PreMigration, CheckSeverity.Blocking);

    protected override async Task<CheckFinding> RunAsync(IMongoDatabase database, CheckContext context, CancellationToken cancellationToken)
    {
        if (!context.Exists(OrphanedTradesQuery.Trades)) return CheckFinding.NothingToCheck(OrphanedTradesQuery.Trades);
        var orphans = await OrphanedTradesQuery.FindAsync(database, cancellationToken);
        return orphans.Count == 0
            ? CheckFinding.Pass("every trade's user_id matches a user")
            : CheckFinding.Fail($"{Counted.Of(orphans.Count, "trade")} {Counted.Pick(orphans.Count, "has", "have")} a user_id that matches no user", orphans.Evidence());
    }
}
