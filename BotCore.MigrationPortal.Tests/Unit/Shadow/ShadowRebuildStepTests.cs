using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Shadow;
using BotCore.MigrationPortal.Engine.Steps;
using BotCore.MigrationPortal.Tests.ExampleMigrations;
using MongoDB.Bson;
using static BotCore.MigrationPortal.Tests.Support.EngineHarness;

namespace BotCore.MigrationPortal.Tests.Unit.Shadow;

/// <summary>The shadow rebuild's plan: its names, what it does to a catalog, its inverse from every point it can stop at, its refusals and its mongosh.</summary>
public sealed class ShadowRebuildStepTests
{
    private static readonly SchemaCatalog At130 = ShadowExample.Registry.ExpectedCatalogAt(V("1.3.0"));
    private static readonly ShadowRebuildStep Step = (ShadowRebuildStep)new TradesShadowRebuild().Steps.Single();

    [Fact]
    public void Names_follow_the_collection_and_the_version_with_its_dots_replaced()
    {
        Assert.Equal(("trades_shadow", "trades_before_2_0_0"), (Step.Names.Shadow, Step.Names.Before));
        Assert.Equal("trades_before_1_10_3", new ShadowNames("trades", "1.10.3").Before);
        Assert.Throws<BadInputException>(() => new ShadowNames("trades", "2.0"));
        Assert.Equal(["trades", "trades_shadow", "trades_before_2_0_0"], Step.Touches);
        Assert.Null(Step.Names.TooLongIn("botcore"));
        Assert.Contains("over MongoDB's limit of 255", Step.Names.TooLongIn(new string('d', 240)));
        Assert.Throws<ArgumentException>(() => new ShadowNames("system.views", "2.0.0"));
        Assert.Throws<ArgumentException>(() => new ShadowNames("tr$des", "2.0.0"));
    }

    [Fact]
    public void A_copy_for_another_collection_or_version_names_its_own_shadow_and_before_collections()
    {
        var copy = Step with { CollectionName = "users", Version = "2.1.0" };

        Assert.Equal(["users", "users_shadow", "users_before_2_1_0"], copy.Touches);
        Assert.Equal(["users", "users_shadow", "users_before_2_1_0"], copy.Inverse(At130).Touches);
    }

    [Fact]
    public void Apply_keeps_the_original_definition_under_the_before_name_and_puts_the_rebuilt_definition_under_the_original_name()
    {
        var after = Step.Apply(At130);

        var original = At130.Get("trades");
        Assert.Equal(original with { Name = "trades_before_2_0_0" }, after.Get("trades_before_2_0_0"));
        var rebuilt = after.Get("trades");
        Assert.Equal(Step.Validator, rebuilt.Options.Validator);
        Assert.Equal(original.Indexes.Keys, rebuilt.Indexes.Keys);
        Assert.Equal(original.Indexes.Values, rebuilt.Indexes.Values);
        Assert.Null(after.Find("trades_shadow"));
        Assert.Equal(At130.Collections.Keys.Append("trades_before_2_0_0").Order(StringComparer.Ordinal), after.Collections.Keys);
    }

    [Fact]
    public void Apply_with_explicit_indexes_gives_the_rebuilt_collection_those_and_drops_a_shadow_left_by_an_interrupted_attempt()
    {
        var index = new IndexDefinition("idx_trades_symbol", BsonDocument.Parse("{ symbol: 1 }"));
        var step = Step with { Indexes = [index] };
        var interrupted = At130.With(CollectionDefinition.Plain("trades_shadow"));

        var after = step.Apply(interrupted);

        Assert.Equal(["idx_trades_symbol"], after.Get("trades").Indexes.Keys);
        Assert.Equal(At130.Get("trades").Indexes.Keys, after.Get("trades_before_2_0_0").Indexes.Keys);
        Assert.Null(after.Find("trades_shadow"));
    }

    [Fact]
    public void Apply_is_already_done_after_the_swap_and_refuses_a_before_collection_it_did_not_leave()
    {
        var after = Step.Apply(At130);
        Assert.Same(after, Step.Apply(after));

        var leftover = At130.With(At130.Get("trades") with { Name = "trades_before_2_0_0" });
        Assert.Contains("trades_before_2_0_0 exists already", Assert.Throws<StepConflictException>(() => Step.Apply(leftover)).Message);

        var halfSwapped = after.Without("trades").With(CollectionDefinition.Plain("trades_shadow"));
        Assert.Contains("stopped between its two renames", Assert.Throws<StepConflictException>(() => Step.Apply(halfSwapped)).Message);
        Assert.Contains("does not exist", Assert.Throws<StepConflictException>(() => Step.Apply(At130.Without("trades"))).Message);
    }

    [Fact]
    public void A_time_series_collection_cannot_be_rebuilt_because_it_cannot_be_renamed()
    {
        var step = new ShadowRebuildStep("market_data", ShadowTransform.Function("as is", d => d), "2.0.0");
        Assert.Contains("time-series", Assert.Throws<StepConflictException>(() => step.Apply(At130)).Message);
    }

    [Fact]
    public void A_sharded_cluster_is_refused_before_anything_is_copied_and_a_standalone_only_with_writers_stopped()
    {
        var refused = Step.RefusalOn(TargetTopology.Sharded);
        Assert.Contains("Cannot rebuild trades on a sharded cluster", refused);
        Assert.Contains("Nothing was copied", refused);
        Assert.Contains("sharded cluster", (Step with { WritersStopped = true }).RefusalOn(TargetTopology.Sharded));

        Assert.Contains("standalone server while Bot Core may write to it", Step.RefusalOn(TargetTopology.Standalone));
        Assert.Null((Step with { WritersStopped = true }).RefusalOn(TargetTopology.Standalone));
        Assert.Null(Step.RefusalOn(TargetTopology.ReplicaSet));
    }

    [Fact]
    public void The_inverse_swaps_back_to_the_catalog_before_and_says_what_it_drops()
    {
        var after = Step.Apply(At130);

        var inverse = Assert.IsType<ShadowSwapBackStep>(Step.Inverse(At130));

        Assert.Equal(At130, inverse.Apply(after));
        Assert.Equal(Step.Touches, inverse.Touches);
        Assert.Contains("every write Bot Core made to it since the swap", inverse.DataAtRisk);
        Assert.Throws<StepConflictException>(() => inverse.Inverse(after));
    }

    [Fact]
    public void Undone_after_a_failure_before_the_swap_it_drops_only_the_shadow_and_puts_back_the_original_validator()
    {
        // The rebuild stopped during its write pause: the shadow is there, trades still carries the pause's validator.
        var paused = At130.With(CollectionDefinition.Plain("trades_shadow"))
            .With(At130.Get("trades") with { Options = At130.Get("trades").Options.WithValidator(ShadowWritePause.Validator) });

        var undo = ((IMigrationStep)Step).Undo(At130, outcome: null);

        Assert.Equal(At130, undo.Apply(paused));
        Assert.Equal(At130, undo.Apply(At130.With(CollectionDefinition.Plain("trades_shadow"))));
    }

    [Fact]
    public void Undone_after_a_failure_between_the_two_renames_it_renames_the_original_back_and_drops_the_shadow()
    {
        var halfSwapped = At130.Without("trades").With(At130.Get("trades") with { Name = "trades_before_2_0_0" }).With(CollectionDefinition.Plain("trades_shadow"));

        Assert.Equal(At130, ((IMigrationStep)Step).Undo(At130, outcome: null).Apply(halfSwapped));
    }

    [Fact]
    public void A_trades_created_by_a_writer_between_the_renames_is_never_dropped_by_the_undo()
    {
        var intruded = At130.With(At130.Get("trades") with { Name = "trades_before_2_0_0" }).With(CollectionDefinition.Plain("trades_shadow"))
            .With(CollectionDefinition.Plain("trades"));

        var refused = Assert.Throws<StepConflictException>(() => ((IMigrationStep)Step).Undo(At130, outcome: null).Apply(intruded));
        Assert.Contains("created by a writer between the swap's two renames", refused.Message);
    }

    [Theory]
    [InlineData("{ $out: \"elsewhere\" }", "may not contain $out")]
    [InlineData("{ $merge: { into: \"elsewhere\" } }", "may not contain $merge")]
    [InlineData("{ $group: { _id: \"$symbol\" } }", "$group is not one")]
    [InlineData("{ $lookup: { from: \"users\", localField: \"user_id\", foreignField: \"_id\", as: \"user\" } }", "$lookup is not one")]
    public void A_pipeline_that_writes_elsewhere_or_needs_other_documents_is_refused_when_the_migration_is_built(string stage, string sentence)
    {
        var refused = Assert.Throws<ArgumentException>(() => ShadowTransform.Pipeline(BsonDocument.Parse("{ $set: { a: 1 } }"), BsonDocument.Parse(stage)));
        Assert.Contains(sentence, refused.Message);
    }

    [Fact]
    public void A_pipeline_write_starts_again_from_the_source_document_so_redoing_it_changes_nothing()
    {
        var transform = ShadowTransform.Pipeline(BsonDocument.Parse("{ $set: { quantity: { $toDecimal: \"$quantity\" } } }"));
        var source = BsonDocument.Parse("{ _id: 7, quantity: 2.5, note: \"$not_a_field\" }");

        var write = Assert.IsType<MongoDB.Driver.UpdateOneModel<BsonDocument>>(transform.WriteFor(source));

        Assert.True(write.IsUpsert);
        Assert.Equal(
            BsonDocument.Parse("{ s: [{ $replaceWith: { $literal: { _id: 7, quantity: 2.5, note: \"$not_a_field\" } } }, { $set: { quantity: { $toDecimal: \"$quantity\" } } }] }")["s"],
            BotCore.MigrationPortal.Engine.Mongosh.MongoshSyntax.Rendered(write.Update));
    }

    [Fact]
    public void A_function_transform_writes_a_replacement_upsert_and_must_keep_the_id()
    {
        var transform = ShadowTransform.Function("add v2", d => d.Set("v2", true));
        var source = BsonDocument.Parse("{ _id: 1, a: 1 }");

        var write = Assert.IsType<MongoDB.Driver.ReplaceOneModel<BsonDocument>>(transform.WriteFor(source));

        Assert.True(write.IsUpsert);
        Assert.Equal(BsonDocument.Parse("{ _id: 1, a: 1, v2: true }"), write.Replacement);
        Assert.Equal(BsonDocument.Parse("{ _id: 1, a: 1 }"), source);
        var changesId = ShadowTransform.Function("new id", d => d.Set("_id", 2));
        Assert.Contains("must keep each document's _id", Assert.Throws<BotCore.MigrationPortal.Engine.MigrationEngineException>(() => changesId.WriteFor(source)).Message);
    }

    [Fact]
    public void Mongosh_shows_the_whole_procedure_in_order()
    {
        var text = Step.Mongosh(new BatchOptions(500, 0)).Text;

        string[] inOrder =
        [
            "db.getCollection(\"trades\").watch([], { fullDocument: \"updateLookup\" });",
            "db.createCollection(\"trades_shadow\");",
            "\"collMod\" : \"trades_shadow\"",
            "db.getCollection(\"trades_shadow\").updateOne({ _id: doc._id }, [{ $replaceWith: { $literal: doc } }, { \"$set\" : { \"quantity\" : { \"$toDecimal\" : \"$quantity\" } } }], { upsert: true });",
            "the indexes of trades (read when the step runs), each created on trades_shadow",
            "\"collMod\" : \"trades\", \"validator\" : { \"portal_shadow_swap_in_progress\" : { \"$exists\" : true } }",
            "db.getCollection(\"trades\").renameCollection(\"trades_before_2_0_0\");",
            "db.getCollection(\"trades_shadow\").renameCollection(\"trades\");",
        ];
        var positions = inOrder.Select(line => text.IndexOf(line, StringComparison.Ordinal)).ToList();
        Assert.All(positions.Zip(inOrder), p => Assert.True(p.First >= 0, $"missing: {p.Second}\n{text}"));
        Assert.Equal(positions.Order(), positions);
        Assert.Contains("in batches of 500 by _id", text);
        Assert.DoesNotContain("dropTarget", text.Split('\n').Where(line => !line.StartsWith("//", StringComparison.Ordinal)));
        Assert.Contains("never on a sharded cluster", text);
        Assert.Contains("refused when trades has collection options besides its validator", text);
    }

    [Fact]
    public void The_swap_back_mongosh_renames_over_the_rebuilt_collection_drops_the_shadow_and_restores_the_validator()
    {
        var text = Step.Inverse(At130).Mongosh(new BatchOptions()).Text;

        Assert.Contains("db.getCollection(\"trades_before_2_0_0\").renameCollection(\"trades\", true);", text);
        Assert.Contains("db.getCollection(\"trades_shadow\").drop();", text);
        Assert.Contains("\"collMod\" : \"trades\"", text);
        Assert.Contains("\"required\" : [\"user_id\", \"symbol\", \"side\", \"quantity\", \"created_at\"]", text);
    }
}
