using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Planning;

namespace BotCore.MigrationPortal.Cli.Verbs;

public sealed class PlanVerb(MigrationRegistry registry, MigrationPlanner planner, CliConsole console) : ICliVerb
{
    public string Name => "plan";
    public string Usage => "plan [--from V] [--to V] [--json]";
    public string Summary => "the steps from one version to another, in order, and what each changes (default 0.0.0 to the latest)";
    public IReadOnlyCollection<string> ValueOptions => ["from", "to"];
    public IReadOnlyCollection<string> FlagOptions => ["json"];

    public Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var plan = planner.Plan(arguments.Version("from") ?? SchemaVersion.Zero, arguments.Version("to") ?? registry.Latest);
        if (arguments.Flag("json")) console.Out.WriteLine(PlanRendering.ToJson(plan));
        else PlanRendering.WriteText(plan, console.Out);
        return Task.FromResult(ExitCodes.Success);
    }
}
