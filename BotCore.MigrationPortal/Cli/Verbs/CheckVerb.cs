using BotCore.MigrationPortal.Adoption;
using BotCore.MigrationPortal.Checks;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Targets;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Cli.Verbs;

/// <summary>
/// <c>check pre</c> and <c>check post</c>: the integrity checks of the Checks page, each run by the portal's on-demand service (and
/// audited there), for the plan the page uses: pre-migration checks for the plan from the applied version to V (default: the latest),
/// post-migration checks for what the database should be at its applied version. Exit 1 when a blocking check fails.
/// </summary>
public sealed class CheckVerb(
    CheckPhase phase,
    MigrationRegistry registry,
    TargetRegistry targets,
    CliPortal portal,
    CliConsole console) : ICliVerb
{
    public string Name => phase == CheckPhase.PreMigration ? "check pre" : "check post";

    public string Usage => phase == CheckPhase.PreMigration ? "check pre --target T [--to V] [--json]" : "check post --target T [--json]";

    public string Summary => phase == CheckPhase.PreMigration
        ? "runs the pre-migration integrity checks for going from the applied version to V (default: the latest) and prints each result; exit 1 when a blocking one fails"
        : "runs the post-migration integrity checks for the applied version and prints each result; exit 1 when a blocking one fails";

    public IReadOnlyCollection<string> ValueOptions => phase == CheckPhase.PreMigration ? ["target", "to"] : ["target"];
    public IReadOnlyCollection<string> FlagOptions => ["json"];

    public async Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var target = targets.Get(arguments.Required("target"));
        var history = await TargetReading.ReadAdoptedAsync(target, cancellationToken);
        var onDemand = await portal.OpenAsync<OnDemandChecks>(cancellationToken);
        var plan = onDemand.PlanFor(phase, history, arguments.Version("to") ?? registry.Latest);
        var results = await onDemand.RunPhaseAsync(CliIdentity.Caller, phase, target, plan, cancellationToken);
        var blocked = results.Any(r => r.Blocks);
        if (arguments.Flag("json")) WriteJson(target.Name, plan, results, blocked);
        else WriteText(target.Name, plan, results, blocked);
        return blocked ? ExitCodes.Failure : ExitCodes.Success;
    }

    private void WriteText(string target, MigrationPlan plan, IReadOnlyList<CheckResult> results, bool blocked)
    {
        console.Out.WriteLine($"{(phase == CheckPhase.PreMigration ? "Pre" : "Post")}-migration checks on {target} for {plan.From} → {plan.To}:");
        foreach (var result in results)
        {
            console.Out.WriteLine($"  {result.Verdict,-9} {result.Name}: {result.Summary} ({result.Duration.TotalMilliseconds:N0} ms)");
            foreach (var line in result.Evidence) console.Out.WriteLine($"            {line}");
        }
        console.Out.WriteLine(blocked
            ? $"Blocked by {string.Join(", ", results.Where(r => r.Blocks).Select(r => $"'{r.Name}'"))}."
            : "No blocking check failed.");
    }

    private void WriteJson(string target, MigrationPlan plan, IReadOnlyList<CheckResult> results, bool blocked) =>
        console.Out.WriteLine(new BsonDocument
        {
            { "target", target },
            { "phase", phase == CheckPhase.PreMigration ? "pre" : "post" },
            { "from", plan.From.ToString() },
            { "to", plan.To.ToString() },
            { "blocked", blocked },
            {
                "checks", new BsonArray(results.Select(r => new BsonDocument
                {
                    { "id", r.CheckId },
                    { "name", r.Name },
                    { "severity", r.Severity.ToString() },
                    { "outcome", r.Outcome.ToString() },
                    { "verdict", r.Verdict },
                    { "summary", r.Summary },
                    { "evidence", new BsonArray(r.Evidence) },
                    { "durationMs", (long)Math.Round(r.Duration.TotalMilliseconds) },
                }))
            },
        }.ToJson(CatalogJson.Relaxed));
}
