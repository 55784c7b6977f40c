using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Phases;
using BotCore.MigrationPortal.Engine.Steps;
using BotCore.MigrationPortal.Tests.Support;

namespace BotCore.MigrationPortal.Tests.Unit.Phases;

/// <summary>The registry refuses, when it is built, phases that do not fit together.</summary>
public sealed class ExpandContractRulesTests
{
    private const string Rename = "rename trades.qty to trades.quantity";

    private static RegisteredMigration Declaring(string version, ExpandContractPhase? phase) =>
        RegisteredMigration.FromSource(new Declared(version, phase), $"// {version}");

    private sealed class Declared(string version, ExpandContractPhase? phase) : Migration(version, $"stub {version}")
    {
        public override IReadOnlyList<IMigrationStep> Steps => [];
        public override ExpandContractPhase? Phase => phase;
    }

    private static readonly ExpandContractPhase Expand = ExpandContractPhase.Expand(Rename, "trades", "qty", "quantity");

    private static ExpandContractPhase ContractOf(string follows) => ExpandContractPhase.Contract(Rename, "trades", "qty", "quantity", follows);

    private static string Refusal(params RegisteredMigration[] migrations) =>
        Assert.Throws<InvalidOperationException>(() => new MigrationRegistry(migrations)).Message;

    [Fact]
    public void The_examples_with_the_spec_migrations_make_a_registry_whose_contract_follows_its_expand()
    {
        var registry = ExpandContractExamples.Registry;

        var expand = registry.Find(EngineHarness.V("1.4.0"))!;
        Assert.Equal(PhaseKind.Expand, expand.Phase!.Kind);
        Assert.Equal(EngineHarness.V("1.5.0"), ExpandContractRules.ContractOf(registry.Migrations, expand)!.Version);
        Assert.Equal("005_TradesQuantityExpand.cs", expand.SourceFileName);
        Assert.Contains("class TradesQuantityExpand", expand.Source);
    }

    [Fact]
    public void A_contract_following_a_version_this_build_lacks_is_refused()
    {
        Assert.Equal("Migration 1.5.0 (ExpandContractRulesTests.cs) is the contract phase of 'rename trades.qty to trades.quantity' and follows expand 1.4.0, " +
            "but this build has no migration 1.4.0.", Refusal(Declaring("1.3.0", null), Declaring("1.5.0", ContractOf("1.4.0"))));
    }

    [Fact]
    public void A_contract_following_a_higher_version_is_refused()
    {
        Assert.Equal("Migration 1.4.0 (ExpandContractRulesTests.cs) is the contract phase of 'rename trades.qty to trades.quantity', but the expand it follows, 1.5.0, " +
            "is not a lower version: the contract must come after its expand.", Refusal(Declaring("1.5.0", Expand), Declaring("1.4.0", ContractOf("1.5.0"))));
    }

    [Fact]
    public void A_contract_following_a_migration_that_is_not_an_expand_is_refused()
    {
        Assert.EndsWith("and follows 1.4.0, but 1.4.0 does not declare itself the expand phase of that change.",
            Refusal(Declaring("1.4.0", null), Declaring("1.5.0", ContractOf("1.4.0"))));
        Assert.EndsWith("and follows 1.4.0, but 1.4.0 does not declare itself the expand phase of that change.",
            Refusal(Declaring("1.4.0", ContractOf("1.3.0") with { Kind = PhaseKind.Contract }), Declaring("1.3.0", Expand), Declaring("1.5.0", ContractOf("1.4.0"))));
    }

    [Fact]
    public void A_contract_of_another_change_is_refused()
    {
        var other = ExpandContractPhase.Contract(Rename, "trades", "qty", "amount", "1.4.0");

        Assert.Equal("Migration 1.5.0 (ExpandContractRulesTests.cs) is the contract phase of 'rename trades.qty to trades.quantity' (trades.qty → trades.amount), " +
            "but expand 1.4.0 declares 'rename trades.qty to trades.quantity' (trades.qty → trades.quantity): both phases must name the same change, collection and fields.",
            Refusal(Declaring("1.4.0", Expand), Declaring("1.5.0", other)));
    }

    [Fact]
    public void Two_contracts_of_one_expand_are_refused()
    {
        Assert.Equal("Expand 1.4.0 is followed by more than one contract (1.5.0, 1.6.0): one change has one contract.",
            Refusal(Declaring("1.4.0", Expand), Declaring("1.5.0", ContractOf("1.4.0")), Declaring("1.6.0", ContractOf("1.4.0"))));
    }

    [Fact]
    public void An_expand_without_a_contract_yet_is_fine()
    {
        var registry = new MigrationRegistry([Declaring("1.4.0", Expand)]);

        Assert.Null(ExpandContractRules.ContractOf(registry.Migrations, registry.Migrations[0]));
    }
}
