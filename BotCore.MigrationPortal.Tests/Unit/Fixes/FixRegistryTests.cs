using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Fixes;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Tests.Unit.Fixes;

/// <summary>The fixes of this build, their checksums, the journal that says where each stands on a target, and what a registry refuses.</summary>
public sealed class FixRegistryTests
{
    private const string TradesFix = "2026-12-02-trades-missing-status";

    [Fact]
    public void The_build_carries_the_trades_fix_with_the_checksum_of_its_embedded_source()
    {
        var registry = FixRegistry.FromAssembly(typeof(Migration).Assembly);

        var fix = registry.Get(TradesFix);
        var source = MigrationChecksum.EmbeddedSource(typeof(Migration).Assembly, $"{TradesFix}.cs", "fixes");
        Assert.NotNull(source);
        Assert.Equal(MigrationChecksum.Of(source), fix.Checksum);
        Assert.Equal("trades", fix.Collection);
        Assert.Equal(["status"], fix.Definition.Fields);
        Assert.Null(fix.Definition.Problem());
        // The value is one the spec's 1.0.0 validator accepts for trades.status.
        Assert.Equal("PENDING", fix.Definition.ValuesFor(new BsonDocument("_id", 1))["status"].AsString);
    }

    [Fact]
    public void An_unknown_fix_is_refused_with_the_ones_there_are()
    {
        var refused = Assert.Throws<BadInputException>(() => FixRegistry.FromAssembly(typeof(Migration).Assembly).Get("2020-01-01-nothing"));

        Assert.Contains(TradesFix, refused.Message);
    }

    [Fact]
    public void Two_fixes_with_one_id_are_refused()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => new FixRegistry([Registered(new Named("/f/2026-01-01-a.cs")), Registered(new Named("/g/2026-01-01-a.cs"))]));

        Assert.Contains("Two fixes have the id 2026-01-01-a", refused.Message);
    }

    [Theory]
    [InlineData("/f/TradesFix.cs", "must be named yyyy-MM-dd-words.cs")]
    [InlineData("/f/2026-01-01-Trades.cs", "must be named yyyy-MM-dd-words.cs")]
    public void A_fix_whose_file_name_says_neither_when_nor_what_is_refused(string path, string expected)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => new FixRegistry([Registered(new Named(path))]));

        Assert.Contains(expected, refused.Message);
    }

    [Theory]
    [InlineData("_id")]
    [InlineData("metadata.source")]
    public void A_fix_that_sets_a_field_the_undo_could_not_restore_is_refused(string field)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => new FixRegistry([Registered(new Named("/f/2026-01-01-a.cs", field))]));

        Assert.Contains($"sets '{field}'", refused.Message);
    }

    [Fact]
    public void A_value_computed_for_an_undeclared_field_fails_the_fix_rather_than_go_unrecorded()
    {
        var fix = new Named("/f/2026-01-01-a.cs", "status", new BsonDocument("side", "BUY"));

        var refused = Assert.Throws<MigrationEngineException>(() => fix.CheckedValuesFor(new BsonDocument("_id", 7)));

        Assert.Contains("'side', which it does not declare", refused.Message);
    }

    [Fact]
    public void The_journal_says_never_applied_applied_undone_or_stopped_and_who_and_when()
    {
        var fix = Registered(new Named("/f/2026-01-01-a.cs"));
        Assert.Equal(FixState.NeverApplied, FixStatus.Of(fix, []).State);
        Assert.Equal("never applied", FixStatus.Of(fix, []).Describe());

        var applied = Entry(fix, FixJournalEntry.Applied, fix.Checksum, 1);
        var status = FixStatus.Of(fix, [applied]);
        Assert.Equal((FixState.Applied, false), (status.State, status.ChangedSince));
        Assert.Equal("applied 2026-12-02 09:01:00Z by olga, approved by bob (run r-1, 12 documents)", status.Describe());

        Assert.Equal(FixState.Undone, FixStatus.Of(fix, [applied, Entry(fix, FixJournalEntry.Undone, fix.Checksum, 2)]).State);
        Assert.Equal(FixState.Stopped, FixStatus.Of(fix, [applied, Entry(fix, FixJournalEntry.Stopped, fix.Checksum, 3)]).State);
        // Another fix's lines are not this one's.
        Assert.Equal(FixState.NeverApplied, FixStatus.Of(fix, [applied with { FixId = "2026-01-01-b" }]).State);
    }

    [Fact]
    public void A_fix_edited_after_it_was_applied_shows_as_changed_since_with_both_checksums()
    {
        var before = Registered(new Named("/f/2026-01-01-a.cs"), "// first version");
        var edited = Registered(new Named("/f/2026-01-01-a.cs"), "// edited after it ran");

        var status = FixStatus.Of(edited, [Entry(before, FixJournalEntry.Applied, before.Checksum, 1)]);

        Assert.NotEqual(before.Checksum, edited.Checksum);
        Assert.True(status.ChangedSince);
        Assert.Contains($"CHANGED SINCE: applied from checksum {before.ShortChecksum}, this build has {edited.ShortChecksum}", status.Describe());
    }

    [Fact]
    public void The_plan_of_a_fix_shows_its_filter_its_update_and_its_batching_as_mongosh()
    {
        var fix = FixRegistry.FromAssembly(typeof(Migration).Assembly).Get(TradesFix);

        var text = new FixStep(fix, "r-1").Mongosh(new BatchOptions(500, 50)).Text;

        Assert.Contains("db.getCollection(\"trades\").find({ \"status\" : { \"$exists\" : false } })", text);
        Assert.Contains("db.getCollection(\"trades\").updateOne({ $and: [{ _id: <its _id> }, { \"status\" : { \"$exists\" : false } }] }, { $set: { \"status\" : \"PENDING\" } });", text);
        Assert.Contains("in batches of 500 by _id", text);
        Assert.Contains("db.getCollection(\"fix_undo\").replaceOne(", text);
        Assert.Contains("changes nothing", text);
        Assert.Contains("$unset: <record.missing>", new FixUndoStep(fix).Mongosh(new BatchOptions(500, 50)).Text);
    }

    private static RegisteredFix Registered(DataFix fix, string source = "// source") => RegisteredFix.FromSource(fix, source);

    private static FixJournalEntry Entry(RegisteredFix fix, string action, string checksum, int minute) => new()
    {
        FixId = fix.Id, Checksum = checksum, Collection = fix.Collection, Action = action, DocumentsChanged = 12, RunId = $"r-{minute}",
        By = "olga, approved by bob", At = new DateTime(2026, 12, 2, 9, minute, 0, DateTimeKind.Utc),
    };

    /// <summary>A fix declared as if in <paramref name="path"/>: its id is the file's name.</summary>
    private sealed class Named(string path, string name = "status", BsonDocument? values = null) : DataFix("a test fix", "trades", path)
    {
        public override FilterDefinition<BsonDocument> StillNeeded => Builders<BsonDocument>.Filter.Exists(name, false);
        public override IReadOnlyList<string> Fields => [name];
        public override BsonDocument ValuesFor(BsonDocument document) => values ?? new BsonDocument(name, "PENDING");
    }
}
