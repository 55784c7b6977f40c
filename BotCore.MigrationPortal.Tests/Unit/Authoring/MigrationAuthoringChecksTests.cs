using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Authoring;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Steps;
using BotCore.MigrationPortal.Tests.Support;
using MongoDB.Bson;
using static BotCore.MigrationPortal.Tests.Unit.EngineTestData;

namespace BotCore.MigrationPortal.Tests.Unit.Authoring;

public sealed class MigrationAuthoringChecksTests
{
    private static readonly MigrationAuthoringChecks OfThisBuild = new(Registry);

    /// <summary>The rule that keeps new mistakes out: a warning in any migration of this build is fixed or answered for in it.</summary>
    [Fact]
    public void Every_warning_in_this_builds_migrations_is_fixed_or_acknowledged_with_a_reason()
    {
        var open = OfThisBuild.All().Where(f => f.IsOpen).Select(f => $"{f.Version} {f.Rule} {f.Collection}.{f.Subject}: {f.Message}").ToList();

        Assert.True(open.Count == 0, string.Join(Environment.NewLine, open));
    }

    [Fact]
    public void The_expand_contract_example_migrations_pass_the_authoring_checks()
    {
        var checks = new MigrationAuthoringChecks(ExpandContractExamples.Registry);

        Assert.DoesNotContain(checks.Of(ExpandContractExamples.Registry.Find(V(ExpandContractExamples.Expand))!), f => f.IsOpen);
        Assert.DoesNotContain(checks.Of(ExpandContractExamples.Registry.Find(V(ExpandContractExamples.Contract))!), f => f.IsOpen);
    }

    [Fact]
    public void The_shadow_rebuild_example_passes_the_authoring_checks_on_the_collection_it_rebuilds()
    {
        var registry = new MigrationRegistry([.. Registry.Migrations, ExpandContractExamples.Of(new ExampleMigrations.TradesShadowRebuild())]);

        var findings = new MigrationAuthoringChecks(registry).Of(registry.Find(V("2.0.0"))!);

        Assert.DoesNotContain(findings, f => f.IsOpen);
        // Its validator is new, so every index of the rebuilt trades is judged again: the TTL on created_at among them.
        Assert.Contains(findings, f => f.Collection == "trades" && f.Subject == "idx_trades_ttl");
    }

    [Fact]
    public void The_specs_ttl_on_created_at_of_1_2_0_is_reported_and_kept_with_its_reason()
    {
        var finding = Assert.Single(OfThisBuild.Of(MigrationAt("1.2.0")), f => f.Rule == AuthoringRule.TtlOnOptionalOrNonDateField);

        Assert.Equal(("ai_analysis_results", "idx_ai_analysis_ttl", AuthoringSeverity.Warning), (finding.Collection, finding.Subject, finding.Severity));
        Assert.Contains("documents without a date in created_at never expire", finding.Message);
        Assert.Contains("timestamp", finding.Acknowledged!.Why);
    }

    [Fact]
    public void The_specs_unique_signal_id_of_1_2_0_is_reported_with_a_partial_filter_suggested_and_kept_with_its_reason()
    {
        var finding = Assert.Single(OfThisBuild.Of(MigrationAt("1.2.0")), f => f.Rule == AuthoringRule.UniqueOnOptionalField);

        Assert.Equal(("ai_signals", "idx_ai_signals_id_unique"), (finding.Collection, finding.Subject));
        Assert.Contains("a second document without signal_id collides", finding.Message);
        Assert.Contains("partialFilterExpression: { \"signal_id\" : { \"$exists\" : true } }", finding.Suggestion);
        Assert.NotNull(finding.Acknowledged);
    }

    [Fact]
    public void A_unique_index_on_a_required_field_or_a_partial_one_is_not_reported()
    {
        var findings = Check(new CreateCollectionStep(Validated("items", """{ required: ["code"], properties: { code: { bsonType: "string" } } }""")),
            new CreateIndexStep("items", new IndexDefinition("by_code", Doc("{ code: 1 }"), unique: true)),
            new CreateIndexStep("items", new IndexDefinition("by_ref", Doc("{ ref: 1 }"), unique: true, partialFilterExpression: Doc("{ ref: { $exists: true } }"))));

        Assert.DoesNotContain(findings, f => f.Rule == AuthoringRule.UniqueOnOptionalField);
    }

    [Fact]
    public void A_compound_unique_index_names_only_its_fields_that_are_not_required()
    {
        var findings = Check(new CreateCollectionStep(Validated("items", """{ required: ["a"], properties: { a: {}, b: {} } }""")),
            new CreateIndexStep("items", new IndexDefinition("by_a_b", Doc("{ a: 1, b: 1 }"), unique: true)));

        var finding = Assert.Single(findings);
        Assert.Equal(AuthoringRule.UniqueOnOptionalField, finding.Rule);
        Assert.Contains("covers b, which", finding.Message);
        Assert.Contains("a second document without b and with the same a collides", finding.Message);
    }

    [Theory]
    [InlineData("""{ required: ["at"], properties: { at: { bsonType: "string" } } }""", AuthoringSeverity.Warning, "allows as string")]
    [InlineData("""{ properties: { at: { bsonType: "date" } } }""", AuthoringSeverity.Warning, "does not require")]
    [InlineData("""{ required: ["at"] }""", AuthoringSeverity.Note, "does not declare a date")]
    public void A_ttl_index_on_a_field_that_is_not_a_required_date_is_reported(string validator, AuthoringSeverity severity, string says)
    {
        var findings = Check(new CreateCollectionStep(Validated("events", validator)),
            new CreateIndexStep("events", new IndexDefinition("ttl", Doc("{ at: 1 }"), expireAfterSeconds: 60)));

        var finding = Assert.Single(findings);
        Assert.Equal((AuthoringRule.TtlOnOptionalOrNonDateField, severity), (finding.Rule, finding.Severity));
        Assert.Contains(says, finding.Message);
    }

    [Fact]
    public void A_required_field_of_a_validator_that_only_warns_is_not_taken_as_guaranteed()
    {
        var findings = Check(new CreateCollectionStep(new CollectionDefinition("items", CollectionType.Collection,
                new CollectionOptions(new BsonDocument("$jsonSchema", Doc("""{ required: ["code"], properties: { code: {} } }""")), validationAction: "warn"))),
            new CreateIndexStep("items", new IndexDefinition("by_code", Doc("{ code: 1 }"), unique: true)));

        Assert.Contains("which the validator does not enforce", Assert.Single(findings).Message);
    }

    [Fact]
    public void A_ttl_on_a_compound_key_is_not_judged_as_one_since_the_server_ignores_it_there()
    {
        var findings = Check(new CreateCollectionStep(Validated("events", """{ properties: { at: { bsonType: "date" } } }""")),
            new CreateIndexStep("events", new IndexDefinition("at_id", Doc("{ at: 1, _id: 1 }"), expireAfterSeconds: 60)));

        Assert.DoesNotContain(findings, f => f.Rule == AuthoringRule.TtlOnOptionalOrNonDateField);
    }

    [Fact]
    public void Enum_types_are_named_as_bsonType_spells_them()
    {
        var findings = Check(new CreateCollectionStep(Validated("events", """{ required: ["at"], properties: { at: { enum: [1, 2] } } }""")),
            new CreateIndexStep("events", new IndexDefinition("ttl", Doc("{ at: 1 }"), expireAfterSeconds: 60)));

        Assert.Contains("which the validator allows as int", Assert.Single(findings).Message);
    }

    [Fact]
    public void A_ttl_index_on_a_required_date_is_not_reported()
    {
        var findings = Check(new CreateCollectionStep(Validated("events", """{ required: ["at"], properties: { at: { bsonType: "date" } } }""")),
            new CreateIndexStep("events", new IndexDefinition("ttl", Doc("{ at: 1 }"), expireAfterSeconds: 60)));

        Assert.Empty(findings);
    }

    [Fact]
    public void An_index_on_a_field_the_validator_does_not_mention_is_reported_and_a_nested_mentioned_one_is_not()
    {
        var findings = Check(
            new CreateCollectionStep(Validated("orders", """{ required: ["meta"], properties: { meta: { properties: { region: { bsonType: "string" } } } } }""")),
            new CreateIndexStep("orders", new IndexDefinition("by_region_placed", Doc("{ \"meta.region\": 1, placed_at: -1 }"))));

        var finding = Assert.Single(findings);
        Assert.Equal((AuthoringRule.IndexOnUnvalidatedField, "by_region_placed"), (finding.Rule, finding.Subject));
        Assert.Contains("covers placed_at, which the validator does not mention", finding.Message);
    }

    [Fact]
    public void A_collection_without_a_validator_is_not_reported_for_unmentioned_fields()
    {
        var findings = Check(new CreateCollectionStep(CollectionDefinition.Plain("logs")),
            new CreateIndexStep("logs", new IndexDefinition("by_at", Doc("{ at: -1 }"))));

        Assert.Empty(findings);
    }

    [Fact]
    public void A_validator_that_changes_later_has_the_collections_existing_indexes_judged_again_in_the_migration_that_changes_it()
    {
        var findings = Check(new CreateCollectionStep(Validated("items", """{ required: ["code"], properties: { code: {} } }""")),
            new CreateIndexStep("items", new IndexDefinition("by_code", Doc("{ code: 1 }"), unique: true)),
            new SetValidatorStep("items", Doc("""{ $jsonSchema: { properties: { code: {} } } }""")));

        Assert.Equal(AuthoringRule.UniqueOnOptionalField, Assert.Single(findings).Rule);
    }

    [Fact]
    public void A_validator_of_query_operators_is_said_to_be_unreadable_and_its_indexes_are_not_judged()
    {
        var findings = Check(new CreateCollectionStep(new CollectionDefinition("items", CollectionType.Collection, new CollectionOptions(Doc("{ code: { $type: \"string\" } }")))),
            new CreateIndexStep("items", new IndexDefinition("by_code", Doc("{ code: 1 }"), unique: true)));

        var finding = Assert.Single(findings);
        Assert.Equal((AuthoringRule.UnreadableValidator, AuthoringSeverity.Note), (finding.Rule, finding.Severity));
    }

    [Fact]
    public void A_data_step_without_an_idempotency_rule_is_reported_and_one_with_a_rule_is_not()
    {
        static Task<StepOutcome> Nothing(StepContext context, CancellationToken token) => Task.FromResult(StepOutcome.AlreadyDone("nothing"));
        var findings = Check(new CreateCollectionStep(CollectionDefinition.Plain("items")),
            new CustomStep("recompute totals", Nothing, "nothing", Nothing, ["items"]),
            new CustomStep("recompute totals where missing", Nothing, "nothing", Nothing, ["items"], Idempotency: "writes only items without total"),
            new AddFieldsStep("items", Doc("{ total: 0 }")));

        var finding = Assert.Single(findings);
        Assert.Equal((AuthoringRule.DataStepWithoutIdempotency, "step 2", "items"), (finding.Rule, finding.Subject, finding.Collection));
        Assert.Contains("recompute totals", finding.Message);
    }

    [Fact]
    public void An_acknowledgement_answers_only_its_own_rule_on_its_own_index()
    {
        var migration = new TestMigration([
                new CreateCollectionStep(CollectionDefinition.Plain("items")),
                new CreateIndexStep("items", new IndexDefinition("by_a", Doc("{ a: 1 }"), unique: true)),
                new CreateIndexStep("items", new IndexDefinition("by_b", Doc("{ b: 1 }"), unique: true)),
            ],
            [new AuthoringAcknowledgement(AuthoringRule.UniqueOnOptionalField, "items", "by_a", "every writer sets a")]);

        var findings = Checked(migration);

        Assert.Equal(["by_b"], findings.Where(f => f.IsOpen).Select(f => f.Subject));
        Assert.Equal("every writer sets a", findings.Single(f => f.Subject == "by_a").Acknowledged!.Why);
    }

    private static IReadOnlyList<AuthoringFinding> Check(params IMigrationStep[] steps) => Checked(new TestMigration(steps, []));

    private static IReadOnlyList<AuthoringFinding> Checked(TestMigration migration)
    {
        var registry = new MigrationRegistry([RegisteredMigration.FromSource(migration, "// test")]);
        return new MigrationAuthoringChecks(registry).Of(registry.Migrations.Single());
    }

    private static CollectionDefinition Validated(string name, string schema) =>
        new(name, CollectionType.Collection, new CollectionOptions(new BsonDocument("$jsonSchema", Doc(schema))));

    private static BsonDocument Doc(string json) => BsonDocument.Parse(json);

    private sealed class TestMigration(IReadOnlyList<IMigrationStep> steps, IReadOnlyList<AuthoringAcknowledgement> acknowledged) : Migration("9.0.0", "authoring test")
    {
        public override IReadOnlyList<IMigrationStep> Steps => steps;

        public override IReadOnlyList<AuthoringAcknowledgement> AcknowledgedFindings => acknowledged;
    }
}
