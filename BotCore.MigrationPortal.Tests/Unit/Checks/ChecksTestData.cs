using BotCore.MigrationPortal.Checks;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Phases;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace BotCore.MigrationPortal.Tests.Unit.Checks;

/// <summary>The integrity checks over this build's migrations, and plans on paper, for the checks' tests.</summary>
internal static class ChecksTestData
{
    /// <param name="time">The clock of the checks and of the contract gate's soak (the system clock unless a test moves it).</param>
    public static IntegrityChecks Integrity(MigrationRegistry? registry = null, TimeProvider? time = null) =>
        new(registry ?? EngineHarness.Migrations, time ?? TimeProvider.System, NullLogger<IntegrityChecks>.Instance,
            new ContractGate(new ExpandContractOptions(), time ?? TimeProvider.System));

    public static MigrationPlan Plan(string from, string to, MigrationRegistry? registry = null) =>
        new MigrationPlanner(registry ?? EngineHarness.Migrations).Plan(EngineHarness.V(from), EngineHarness.V(to));

    public static IReadOnlyList<string> Ids(IEnumerable<CheckDescriptor> checks, string prefix) =>
        checks.Select(c => c.Id).Where(id => id.StartsWith(prefix, StringComparison.Ordinal)).ToList();

    public static CheckResult Single(IEnumerable<CheckResult> results, string id) => Assert.Single(results, r => r.CheckId == id);
}
