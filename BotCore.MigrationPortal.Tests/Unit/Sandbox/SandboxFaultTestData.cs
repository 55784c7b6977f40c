using BotCore.MigrationPortal.Engine.Leases;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Steps;
using BotCore.MigrationPortal.Targets;
using BotCore.MigrationPortal.Targets.Sandbox;
using BotCore.MigrationPortal.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using static BotCore.MigrationPortal.Tests.Support.EngineHarness;

namespace BotCore.MigrationPortal.Tests.Unit.Sandbox;

/// <summary>Sandbox faults over the migrations of this build, and step keys found by what the step does (not by a number a new step would shift).</summary>
internal static class SandboxFaultTestData
{
    public static SandboxFaults NewFaults(TimeProvider? time = null) => new(EngineHarness.Migrations, time ?? TimeProvider.System, NullLogger<SandboxFaults>.Instance);

    /// <summary>A simulated target named dev that consults <paramref name="faults"/>.</summary>
    public static SandboxMigrationTarget Dev(SandboxFaults faults) =>
        new("dev", TargetTier.Development, new LeaseOptions(), TimeProvider.System, NullLoggerFactory.Instance, TimeSpan.Zero, faults);

    /// <summary>The up key of 1.3.0's first data step (fields added to positions).</summary>
    public static string FirstDataStepOf130 => $"1.3.0/up/{NumberOf("1.3.0", step => step.Kind == StepKind.Data)}";

    /// <summary>
    /// The up key of the last schema step 1.3.0 runs before its first data step that the rollback undoes (the index it creates):
    /// ensuring an application collection is never undone (the collection stays), so a fault armed on its undo never fires.
    /// </summary>
    public static string SchemaStepBeforeFirstDataStepOf130
    {
        get
        {
            var steps = EngineHarness.Migrations.Find(V("1.3.0"))!.Steps;
            var number = NumberOf("1.3.0", step => step.Kind == StepKind.Data) - 1;
            while (steps[number - 1] is EnsureCollectionStep) number--;
            Assert.IsType<CreateIndexStep>(steps[number - 1]);
            return $"1.3.0/up/{number}";
        }
    }

    private static int NumberOf(string version, Func<IMigrationStep, bool> which) =>
        EngineHarness.Migrations.Find(V(version))!.Steps.Select((step, i) => (step, i)).First(s => which(s.step)).i + 1;
}
