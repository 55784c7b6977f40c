using BotCore.MigrationPortal.Adoption;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.History;
using BotCore.MigrationPortal.Targets;
using static BotCore.MigrationPortal.Tests.Unit.EngineTestData;

namespace BotCore.MigrationPortal.Tests.Unit;

/// <summary>
/// How much each difference between a live database and the expected catalog matters, and what adoption makes of it: the
/// migrations' objects block, the application's are tolerated, another version's give the version away.
/// </summary>
public sealed class DriftClassificationTests
{
    private static readonly SchemaCatalog At120 = ExpectedAt("1.2.0");

    private static IReadOnlyList<ClassifiedDifference> Classify(SchemaCatalog live) => DriftClassification.Classify(Registry, At120, live.WithVersion(V("1.2.0")));

    private static ClassifiedDifference Only(SchemaCatalog live) => Assert.Single(Classify(live));

    [Fact]
    public void The_expected_catalog_has_no_difference_from_itself()
    {
        Assert.Empty(Classify(At120));
        Assert.False(DriftReport.Of(Registry, At120).HasDrift);
    }

    [Fact]
    public void A_collection_the_migrations_create_missing_blocks()
    {
        var differences = Classify(At120.Without("ai_signals"));

        // The collection, and its index with it.
        Assert.Equal([(DifferenceKind.MissingCollection, DriftSeverity.Blocking), (DifferenceKind.MissingIndex, DriftSeverity.Blocking)],
            differences.Select(d => (d.Difference.Kind, d.Severity)));
        Assert.Contains("the migrations create it", differences[0].Describe());
    }

    [Fact]
    public void An_application_collection_not_created_yet_is_informational()
    {
        var difference = Only(At120.Without("portfolio_history"));

        Assert.Equal(DriftSeverity.Informational, difference.Severity);
    }

    [Theory]
    [InlineData("portfolio_snapshots", "the application's collection")]
    [InlineData("bot_logs", "a collection of the application's own, which no migration manages")]
    public void A_collection_of_the_application_is_tolerated(string name, string why)
    {
        var difference = Only(At120.With(CollectionDefinition.Plain(name)));

        Assert.Equal((DifferenceKind.UnexpectedCollection, DriftSeverity.Tolerated), (difference.Difference.Kind, difference.Severity));
        Assert.Contains(why, difference.Why);
    }

    [Fact]
    public void A_collection_another_version_creates_gives_the_version_away_and_blocks()
    {
        var difference = Only(At120.With(ExpectedAt("1.3.0").Get("risk_metrics")));

        Assert.Equal(DriftSeverity.Blocking, difference.Severity);
        Assert.Contains("another version's migrations create it", difference.Why);
    }

    [Fact]
    public void An_index_the_application_added_is_tolerated_but_a_missing_or_changed_one_of_the_migrations_blocks()
    {
        var users = At120.Get("users");
        var added = Only(At120.With(users.WithIndex(Index("idx_users_last_login", "{ last_login: -1 }"))));
        var missing = Only(At120.With(users.WithoutIndex("idx_users_email_unique")));
        var changed = Only(At120.With(users.WithIndex(Index("idx_users_email_unique", "{ email: 1 }", unique: false))));

        Assert.Equal((DifferenceKind.UnexpectedIndex, DriftSeverity.Tolerated), (added.Difference.Kind, added.Severity));
        Assert.Equal((DifferenceKind.MissingIndex, DriftSeverity.Blocking), (missing.Difference.Kind, missing.Severity));
        Assert.Equal((DifferenceKind.IndexDiffers, DriftSeverity.Blocking), (changed.Difference.Kind, changed.Severity));
    }

    [Fact]
    public void The_options_of_an_application_collection_are_the_applications()
    {
        var live = ExpectedAt("1.3.0").With(Collection("positions", "{ $jsonSchema: { bsonType: 'object' } }"));

        var difference = Assert.Single(DriftClassification.Classify(Registry, ExpectedAt("1.3.0"), live));

        Assert.Equal((DifferenceKind.CollectionDiffers, DriftSeverity.Tolerated), (difference.Difference.Kind, difference.Severity));
    }

    [Fact]
    public void The_fingerprint_is_that_of_the_blocking_differences_only()
    {
        var blocking = Classify(At120.Without("ai_signals"));
        var withTolerated = Classify(At120.Without("ai_signals").With(CollectionDefinition.Plain("bot_logs")));
        var otherBlocking = Classify(At120.Without("ai_analysis_results"));

        Assert.Equal(DriftClassification.Fingerprint(blocking), DriftClassification.Fingerprint(withTolerated));
        Assert.NotEqual(DriftClassification.Fingerprint(blocking), DriftClassification.Fingerprint(otherBlocking));
    }

    // ---- adoption: which version a database built outside the portal is at ----

    private static BaselineComparison Compare(SchemaCatalog collections, params VersionDocument[] documents) =>
        BaselineComparison.Of(Registry, new AdoptionSnapshot(collections, documents, 0));

    private static VersionDocument Document(string id, string value, int month) =>
        new(id, value, new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2025, month, 1, 0, 0, 0, DateTimeKind.Utc), "migration");

    [Fact]
    public void The_spec_scripts_database_matches_1_2_0_exactly_and_keeps_the_document_that_says_so()
    {
        var comparison = Compare(SpecScriptsDatabase.Collections(Registry, V("1.2.0")), [.. SpecScriptsDatabase.VersionDocuments(V("1.2.0"))]);

        Assert.Equal([BaselineFit.Far, BaselineFit.Far, BaselineFit.Exact, BaselineFit.Far], comparison.Versions.Select(v => v.Fit));
        Assert.Equal(V("1.2.0"), comparison.Proposed!.Version);
        Assert.Equal("1.2.0", comparison.DocumentToKeep(V("1.2.0"))!.Value);
        Assert.True(comparison.NeedsAdoption);
        Assert.Null(BaselineWriter.Refusal(comparison, V("1.2.0"), differencesAccepted: false));
    }

    [Fact]
    public void A_database_missing_a_migrations_index_is_close_adopted_only_when_accepted_and_another_version_is_refused_naming_the_best()
    {
        var live = At120.With(At120.Get("ai_signals").WithoutIndexes());

        var comparison = Compare(live, Document("a", "1.2.0", 6));

        Assert.Equal(BaselineFit.Close, comparison.For(V("1.2.0")).Fit);
        Assert.Equal(V("1.2.0"), comparison.Proposed!.Version);
        Assert.Contains("Repair them, or accept them in writing", BaselineWriter.Refusal(comparison, V("1.2.0"), differencesAccepted: false));
        Assert.Null(BaselineWriter.Refusal(comparison, V("1.2.0"), differencesAccepted: true));
        Assert.Contains("It matches 1.2.0 best", BaselineWriter.Refusal(comparison, V("1.1.0"), differencesAccepted: true));
    }

    [Fact]
    public void A_database_that_matches_no_version_is_refused_and_nothing_is_proposed()
    {
        var comparison = Compare(At120.Without("users").Without("ai_signals"), Document("a", "1.2.0", 6));

        Assert.Null(comparison.Proposed);
        Assert.All(comparison.Versions, v => Assert.Equal(BaselineFit.Far, v.Fit));
        Assert.Contains("matches no version well enough", BaselineWriter.Refusal(comparison, V("1.2.0"), differencesAccepted: true));
    }

    [Fact]
    public void Several_documents_keep_the_one_that_says_the_version_and_the_others_are_deleted()
    {
        var comparison = Compare(At120, Document("old", "1.0.0", 2), Document("kept", "1.2.0", 6), Document("newer-but-wrong", "1.1.0", 9));

        Assert.Equal("kept", comparison.DocumentToKeep(V("1.2.0"))!.Id);
        Assert.Contains("deletes 2 other", comparison.VersionDocumentsPlan(V("1.2.0")));
        Assert.Throws<MigrationEngineException>(() => VersionDocument.VersionOf(comparison.Snapshot.VersionDocuments));
    }

    [Fact]
    public void A_database_with_a_changelog_needs_no_adoption_and_is_not_adopted_again()
    {
        var comparison = BaselineComparison.Of(Registry, new AdoptionSnapshot(At120, [Document("a", "1.2.0", 6)], ChangelogEntries: 3));

        Assert.False(comparison.NeedsAdoption);
        Assert.Contains("already has a migration changelog", BaselineWriter.Refusal(comparison, V("1.2.0"), differencesAccepted: false));
    }
}
