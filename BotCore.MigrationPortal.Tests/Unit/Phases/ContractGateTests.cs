using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.History;
using BotCore.MigrationPortal.Engine.Phases;
using Microsoft.Extensions.Time.Testing;

namespace BotCore.MigrationPortal.Tests.Unit.Phases;

/// <summary>The contract's gate as a rule: expand applied on the target, soak passed since (from its changelog), no document lacking the new field.</summary>
public sealed class ContractGateTests
{
    private static readonly DateTime ExpandApplied = new(2026, 12, 1, 8, 0, 0, DateTimeKind.Utc);

    private static readonly ExpandContractPhase Contract =
        ExpandContractPhase.Contract("rename trades.qty to trades.quantity", "trades", "qty", "quantity", follows: "1.4.0");

    private static ContractGate GateAt(DateTime now, double soakHours = 24) =>
        new(new ExpandContractOptions(soakHours), new FakeTimeProvider(new DateTimeOffset(now)));

    private static ChangelogEntry Entry(string version, string direction, string status, DateTime finished) => new()
    {
        Version = version, Description = "", Checksum = "c", Direction = direction, Status = status, RunId = "run", AppliedBy = "olga",
        StartedAt = finished.AddMinutes(-2), FinishedAt = finished,
    };

    private static TargetHistory At(string version, params ChangelogEntry[] changelog) => new(SchemaVersion.Parse(version), null, null, changelog);

    private static readonly TargetHistory ExpandIn = At("1.4.0", Entry("1.4.0", "up", ChangelogEntry.Applied, ExpandApplied));

    [Fact]
    public void Before_the_soak_the_contract_is_refused_with_the_time_left_and_when_it_becomes_possible()
    {
        var verdict = GateAt(ExpandApplied.AddHours(3)).Evaluate(Contract, "production", ExpandIn, FieldGap.None);

        Assert.False(verdict.Allowed);
        Assert.Equal("expand 1.4.0 applied 2026-12-01 08:00 UTC, 3 h ago; soak 24 h: 21 h left, contract possible from 2026-12-02 08:00 UTC; " +
            "no document of trades lacks quantity", verdict.Summary);
    }

    [Fact]
    public void After_the_soak_with_every_document_backfilled_the_contract_may_run()
    {
        var verdict = GateAt(ExpandApplied.AddHours(26)).Evaluate(Contract, "production", ExpandIn, FieldGap.None);

        Assert.True(verdict.Allowed);
        Assert.Equal("expand 1.4.0 applied 2026-12-01 08:00 UTC, 26 h ago; soak 24 h: passed; no document of trades lacks quantity", verdict.Summary);
    }

    [Fact]
    public void The_soak_ends_exactly_at_its_length()
    {
        Assert.True(GateAt(ExpandApplied.AddHours(24)).Evaluate(Contract, "production", ExpandIn, FieldGap.None).Allowed);
        Assert.Contains("1 min left", GateAt(ExpandApplied.AddHours(24).AddSeconds(-30)).Evaluate(Contract, "production", ExpandIn, FieldGap.None).Summary);
    }

    [Fact]
    public void Documents_still_lacking_the_new_field_refuse_the_contract_with_their_count_and_ids()
    {
        var gap = new FieldGap(7, ["1", "2", "3", "4", "5"]);

        var verdict = GateAt(ExpandApplied.AddHours(48)).Evaluate(Contract, "production", ExpandIn, gap);

        Assert.False(verdict.Allowed);
        Assert.EndsWith("soak 24 h: passed; 7 documents of trades still lack quantity: run the expand's backfill again (or fix them) before the contract",
            verdict.Summary);
        Assert.Equal(["_id 1 lacks quantity", "_id 2 lacks quantity", "_id 3 lacks quantity", "_id 4 lacks quantity", "_id 5 lacks quantity", "… and 2 more"],
            verdict.Evidence);
    }

    [Fact]
    public void Documents_whose_old_field_differs_from_the_new_one_refuse_the_contract_with_their_count_and_ids()
    {
        var gap = FieldGap.None with { Diverged = 2, DivergedSampleIds = ["9", "10"] };

        var verdict = GateAt(ExpandApplied.AddHours(48)).Evaluate(Contract, "production", ExpandIn, gap);

        Assert.False(verdict.Allowed);
        Assert.Contains("; 2 documents of trades hold a qty different from quantity: an application instance still writes qty alone", verdict.Summary);
        Assert.Equal(["_id 9 holds a qty different from quantity", "_id 10 holds a qty different from quantity"], verdict.Evidence);
    }

    [Fact]
    public void A_contract_whose_expand_is_not_applied_on_the_target_is_refused()
    {
        var verdict = GateAt(ExpandApplied).Evaluate(Contract, "production", At("1.3.0", Entry("1.3.0", "up", ChangelogEntry.Applied, ExpandApplied)), null);

        Assert.False(verdict.Allowed);
        Assert.False(verdict.ExpandApplied);
        Assert.Equal("expand 1.4.0 of 'rename trades.qty to trades.quantity' is not applied on production (it is at 1.3.0): apply 1.4.0 first, " +
            "let it soak 24 h, then run the contract", verdict.Summary);
    }

    [Fact]
    public void An_expand_rolled_back_and_applied_again_soaks_from_its_last_apply()
    {
        var again = ExpandApplied.AddHours(30);
        var history = At("1.4.0",
            Entry("1.4.0", "up", ChangelogEntry.Applied, ExpandApplied),
            Entry("1.4.0", "down", ChangelogEntry.Applied, ExpandApplied.AddHours(25)),
            Entry("1.4.0", "up", ChangelogEntry.Applied, again));

        var verdict = GateAt(again.AddHours(2)).Evaluate(Contract, "production", history, FieldGap.None);

        Assert.False(verdict.Allowed);
        Assert.StartsWith("expand 1.4.0 applied 2026-12-02 14:00 UTC, 2 h ago", verdict.Summary);
    }

    [Fact]
    public void A_failed_run_of_the_expand_is_not_an_apply()
    {
        var history = At("1.4.0", Entry("1.4.0", "up", ChangelogEntry.Applied, ExpandApplied), Entry("1.4.0", "up", ChangelogEntry.Failed, ExpandApplied.AddHours(5)));

        Assert.Equal(ExpandApplied, ContractGate.AppliedAt(SchemaVersion.Parse("1.4.0"), history));
        Assert.Null(ContractGate.AppliedAt(SchemaVersion.Parse("1.4.0"), At("1.4.0", Entry("1.4.0", "up", ChangelogEntry.RolledBack, ExpandApplied))));
    }

    [Fact]
    public void The_soak_is_configured_and_a_contract_may_ask_for_a_longer_one_never_a_shorter_one()
    {
        var longer = Contract with { MinimumSoak = TimeSpan.FromHours(72) };
        var shorter = Contract with { MinimumSoak = TimeSpan.FromHours(1) };
        var gate = GateAt(ExpandApplied.AddHours(50), soakHours: 48);

        Assert.Equal(TimeSpan.FromHours(72), gate.SoakOf(longer));
        Assert.Equal(TimeSpan.FromHours(48), gate.SoakOf(shorter));
        Assert.Contains("soak 72 h: 22 h left, contract possible from 2026-12-04 08:00 UTC", gate.Evaluate(longer, "production", ExpandIn, FieldGap.None).Summary);
        Assert.True(gate.Evaluate(shorter, "production", ExpandIn, FieldGap.None).Allowed);
    }

    [Fact]
    public void The_soak_comes_from_configuration_and_a_negative_one_stops_the_start()
    {
        var configured = ExpandContractOptions.From(Support.TestPortal.Configuration(new Dictionary<string, string?> { ["Migrations:ExpandContract:SoakHours"] = "36" }));
        var error = Assert.Throws<InvalidOperationException>(() =>
            ExpandContractOptions.From(Support.TestPortal.Configuration(new Dictionary<string, string?> { ["Migrations:ExpandContract:SoakHours"] = "-1" })));

        Assert.Equal(TimeSpan.FromHours(36), configured.Soak);
        Assert.Equal(TimeSpan.FromHours(24), ExpandContractOptions.From(Support.TestPortal.Configuration()).Soak);
        Assert.Equal("Migrations:ExpandContract:SoakHours is -1; it must be 0 or more (hours).", error.Message);
    }
}
