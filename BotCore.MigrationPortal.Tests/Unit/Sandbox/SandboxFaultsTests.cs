using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Targets;
using BotCore.MigrationPortal.Targets.Sandbox;
using BotCore.MigrationPortal.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static BotCore.MigrationPortal.Tests.Support.EngineHarness;
using static BotCore.MigrationPortal.Tests.Unit.Sandbox.SandboxFaultTestData;

namespace BotCore.MigrationPortal.Tests.Unit.Sandbox;

/// <summary>The fault model: what can be armed, that each fault fires once and only where it was aimed, and who may arm one.</summary>
public sealed class SandboxFaultsTests
{
    [Fact]
    public void A_step_fault_fires_once_for_its_step_only_and_leaves_the_other_faults_armed()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.Zero));
        var faults = NewFaults(time);
        var changed = new List<string>();
        faults.Changed += changed.Add;
        faults.Arm("dev", new SandboxFaultSet("1.3.0/up/2", "post.schema-version", 3), "ada");
        time.Advance(TimeSpan.FromMinutes(5));

        var elsewhere = faults.TakeStep("staging", "1.3.0/up/2");
        var otherStep = faults.TakeStep("dev", "1.3.0/up/1");
        var fired = faults.TakeStep("dev", "1.3.0/up/2");
        var again = faults.TakeStep("dev", "1.3.0/up/2");

        Assert.Null(elsewhere);
        Assert.Null(otherStep);
        Assert.Null(again);
        Assert.NotNull(fired);
        Assert.Equal("Sandbox fault: step 1.3.0/up/2 was told to fail (armed by ada).", fired.Message);
        Assert.Equal("sandbox fault armed on dev by ada at 2025-03-01 09:00:00Z; it fired at 2025-03-01 09:05:00Z and cleared itself", fired.Provenance);
        var state = faults.StateOf("DEV");
        Assert.Equal(new SandboxFaultSet(null, "post.schema-version", 3), state.Armed);
        Assert.Equal([fired], state.Fired);
        Assert.Equal(["dev", "dev"], changed);
    }

    [Fact]
    public void A_batch_fault_fires_in_whichever_data_step_runs_next_and_names_it()
    {
        var faults = NewFaults();
        faults.Arm("dev", new SandboxFaultSet(Batch: 2), "ada");

        var fired = faults.TakeBatch("dev", "1.3.0/up/4");

        Assert.Equal("Sandbox fault: batch 2 of step 1.3.0/up/4 was told to fail (armed by ada).", fired!.Message);
        Assert.Null(faults.TakeBatch("dev", "1.3.0/up/5"));
        Assert.True(faults.StateOf("dev").Armed.IsEmpty);
    }

    [Fact]
    public void A_post_check_fault_fires_for_its_check_only()
    {
        var faults = NewFaults();
        faults.Arm("dev", new SandboxFaultSet(PostCheck: "post.catalog"), "ada");

        Assert.Null(faults.TakePostCheck("dev", "post.schema-version"));
        Assert.Equal("Sandbox fault: post-migration check 'post.catalog' was told to fail (armed by ada).", faults.TakePostCheck("dev", "post.catalog")!.Message);
        Assert.Null(faults.TakePostCheck("dev", "post.catalog"));
    }

    [Fact]
    public void Arming_replaces_what_was_armed_and_none_clears()
    {
        var faults = NewFaults();
        faults.Arm("dev", new SandboxFaultSet("1.3.0/up/2", Batch: 3), "ada");

        faults.Arm("dev", new SandboxFaultSet(PostCheck: "post.catalog"), "ada");
        Assert.Equal(new SandboxFaultSet(PostCheck: "post.catalog"), faults.StateOf("dev").Armed);

        faults.Arm("dev", SandboxFaultSet.None, "ada");
        Assert.True(faults.StateOf("dev").Armed.IsEmpty);
        Assert.Null(faults.TakePostCheck("dev", "post.catalog"));
    }

    [Theory]
    [InlineData("1.3.0/up/1", "1.3.0/up/1")]
    [InlineData(" 1.3.0/UP/2/Undo ", "1.3.0/up/2/undo")]
    [InlineData("1.0.0/down/1", "1.0.0/down/1")]
    public void A_step_key_names_an_up_or_down_step_or_its_undo(string typed, string armed)
    {
        var faults = NewFaults();

        Assert.Equal(armed, faults.Arm("dev", new SandboxFaultSet(typed), "ada").Step);
        Assert.Equal(armed, faults.StateOf("dev").Armed.Step);
    }

    [Theory]
    [InlineData("1.3.0-up-2", "'1.3.0-up-2' is not a step key: write version/direction/number, such as 1.3.0/up/3, or 1.3.0/up/3/undo for its undo during a rollback.")]
    [InlineData("1.3.0/sideways/2", "'1.3.0/sideways/2' is not a step key")]
    [InlineData("1.3.0/up/0", "'1.3.0/up/0' is not a step key")]
    [InlineData("9.9.9/up/1", "Step key '9.9.9/up/1': there is no migration 9.9.9 (this build has 1.0.0,")]
    [InlineData("1.3.0/down/99", "Step key '1.3.0/down/99': migration 1.3.0 has")]
    public void A_step_key_that_names_no_step_is_refused_and_nothing_is_armed(string key, string message)
    {
        var faults = NewFaults();

        var refused = Assert.Throws<BadInputException>(() => faults.Arm("dev", new SandboxFaultSet(key, Batch: 2), "ada"));

        Assert.StartsWith(message, refused.Message);
        Assert.True(faults.StateOf("dev").Armed.IsEmpty);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(SandboxFaultSet.MaximumBatch + 1)]
    public void A_batch_number_out_of_range_is_refused(int batch)
    {
        var refused = Assert.Throws<BadInputException>(() => NewFaults().Arm("dev", new SandboxFaultSet(Batch: batch), "ada"));

        Assert.Equal($"The batch to fail at must be between 1 and 10,000 (it is {batch}).", refused.Message);
    }

    [Fact]
    public void Blank_values_arm_nothing()
    {
        Assert.True(NewFaults().Arm("dev", new SandboxFaultSet(" ", ""), "ada").IsEmpty);
    }

    [Fact]
    public void Faults_are_armed_from_configuration_per_simulated_target()
    {
        var faults = FromConfiguration(new()
        {
            ["Sandbox:Targets:dev:Tier"] = "Development",
            ["Sandbox:Targets:dev:Faults:FailStep"] = "1.3.0/up/2/undo",
            ["Sandbox:Targets:dev:Faults:FailBatch"] = "2",
            ["Sandbox:Targets:staging:Tier"] = "Staging",
            ["Sandbox:Targets:staging:Faults:FailPostCheck"] = "post.catalog",
            ["Sandbox:Targets:production:Tier"] = "Production",
        });

        Assert.Equal(new SandboxFaultSet("1.3.0/up/2/undo", Batch: 2), faults.StateOf("dev").Armed);
        Assert.Equal(SandboxFaults.Configuration, faults.StateOf("dev").ArmedBy);
        Assert.Equal(new SandboxFaultSet(PostCheck: "post.catalog"), faults.StateOf("staging").Armed);
        Assert.Equal(SandboxFaultState.Empty, faults.StateOf("production"));
    }

    [Fact]
    public void A_configured_fault_that_names_no_step_stops_the_start_naming_the_setting()
    {
        var refused = Assert.Throws<BadInputException>(() => FromConfiguration(new() { ["Sandbox:Targets:dev:Faults:FailStep"] = "1.3.0/up/99" }));

        Assert.StartsWith("Sandbox:Targets:dev:Faults: Step key '1.3.0/up/99': migration 1.3.0 has", refused.Message);
    }

    [Fact]
    public void Only_an_Admin_may_arm_faults_and_only_on_a_simulated_target()
    {
        var dev = new TargetDescriptor("dev", TargetTier.Development, "sandbox://dev", IsSandbox: true);
        var real = new TargetDescriptor("production", TargetTier.Production, "db.example.com/bot_core_db", IsSandbox: false);

        Assert.True(SandboxFaultRules.Check(TestPeople.Ada, dev).Allowed);
        Assert.Equal("bob (Approver) may not arm or clear sandbox faults: it needs the Admin role.", SandboxFaultRules.Check(TestPeople.Bob, dev).Refusal);
        Assert.Equal("Target production is not simulated: faults can be armed only on the sandbox's targets.",
            SandboxFaultRules.Check(TestPeople.Ada, real).Refusal);
    }

    private static SandboxFaults FromConfiguration(Dictionary<string, string?> settings) =>
        SandboxFaults.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), EngineHarness.Migrations, TimeProvider.System,
            NullLogger<SandboxFaults>.Instance);
}
