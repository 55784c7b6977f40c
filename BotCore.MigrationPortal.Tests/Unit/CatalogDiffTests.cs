using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using MongoDB.Bson;
using static BotCore.MigrationPortal.Tests.Unit.EngineTestData;

namespace BotCore.MigrationPortal.Tests.Unit;

public sealed class CatalogDiffTests
{
    private const string EmailRequired = "{ $jsonSchema: { bsonType: 'object', required: ['email'] } }";

    private static CollectionDefinition Users() => Collection("users", EmailRequired, Index("idx_users_email_unique", "{ email: 1 }", unique: true));

    private static CollectionDefinition Trades() => Collection("trades", null, Index("idx_trades_ttl", "{ created_at: 1 }", ttl: 31536000));

    [Theory]
    [InlineData("0.0.0")]
    [InlineData("1.0.0")]
    [InlineData("1.3.0")]
    public void Identical_catalogs_have_no_differences(string version) =>
        Assert.Empty(CatalogDiff.Between(ExpectedAt(version), ExpectedAt(version)));

    [Fact]
    public void Catalogs_built_separately_with_the_same_content_have_no_differences()
    {
        var expected = Catalog(Users(), Trades());
        var actual = Catalog(Trades(), Users());

        Assert.Equal(expected, actual);
        Assert.Empty(CatalogDiff.Between(expected, actual));
    }

    [Fact]
    public void A_validator_the_spec_s_scripts_wrote_with_whole_numbers_as_int32_matches_the_migration_s_doubles()
    {
        // The scripts' "minimum: 0.0" reaches the server as int32 0 (the Node.js driver's js-bson writes integral numbers as int32); the
        // migration declares the double 0.0. The driver's BsonDocument equality compares numbers by value, so the two are one validator.
        var script = Collection("ai_analysis_results", "{ $jsonSchema: { properties: { confidence: { bsonType: 'double', minimum: 0, maximum: 1 } } } }");
        var migration = Collection("ai_analysis_results", "{ $jsonSchema: { properties: { confidence: { bsonType: 'double', minimum: 0.0, maximum: 1.0 } } } }");

        Assert.Equal(BsonType.Int32, script.Options.Validator!["$jsonSchema"]["properties"]["confidence"]["minimum"].BsonType);
        Assert.Empty(CatalogDiff.Between(Catalog(migration), Catalog(script)));
    }

    [Fact]
    public void A_missing_collection_is_reported_with_each_of_its_indexes()
    {
        var differences = CatalogDiff.Between(Catalog(Users(), Trades()), Catalog(Trades()));

        Assert.Equal(
            [(DifferenceKind.MissingCollection, "users", (string?)null), (DifferenceKind.MissingIndex, "users", "idx_users_email_unique")],
            differences.Select(d => (d.Kind, d.Collection, d.Index)));
        Assert.Equal("collection", differences[0].Expected!["type"].AsString);
        Assert.Equal(BsonDocument.Parse(EmailRequired), differences[0].Expected!["options"]["validator"]);
        Assert.Null(differences[0].Actual);
        Assert.Contains("index users.idx_users_email_unique is missing", differences[1].DescribeAsDrift());
    }

    [Fact]
    public void An_unexpected_collection_is_reported_once()
    {
        var difference = Assert.Single(CatalogDiff.Between(Catalog(Trades()), Catalog(Trades(), Users())));

        Assert.Equal(DifferenceKind.UnexpectedCollection, difference.Kind);
        Assert.Equal("users", difference.Subject);
        Assert.Null(difference.Expected);
        Assert.Equal("users", difference.Actual!["name"].AsString);
        Assert.Equal("collection users exists but is not expected", difference.DescribeAsDrift());
        Assert.Equal("drops collection users", difference.DescribeAsChange());
    }

    [Fact]
    public void Collections_with_other_options_differ()
    {
        var other = Users() with { Options = new CollectionOptions(BsonDocument.Parse(EmailRequired), validationAction: "warn") };

        var difference = Assert.Single(CatalogDiff.Between(Catalog(Users()), Catalog(other)));

        Assert.Equal(DifferenceKind.CollectionDiffers, difference.Kind);
        Assert.Equal("users", difference.Subject);
        Assert.Equal("error", difference.Expected!["options"]["validationAction"].AsString);
        Assert.Equal("warn", difference.Actual!["options"]["validationAction"].AsString);
    }

    [Fact]
    public void A_plain_collection_differs_from_a_time_series_of_the_same_name()
    {
        var difference = Assert.Single(CatalogDiff.Between(
            Catalog(Collection("market_data")), Catalog(TimeSeries("market_data", "open_time", "symbol", "minutes", null))));

        Assert.Equal(DifferenceKind.CollectionDiffers, difference.Kind);
        Assert.Equal("collection", difference.Expected!["type"].AsString);
        Assert.Equal("timeseries", difference.Actual!["type"].AsString);
    }

    [Fact]
    public void A_missing_index_is_reported()
    {
        var difference = Assert.Single(CatalogDiff.Between(Catalog(Users()), Catalog(Users().WithoutIndexes())));

        Assert.Equal((DifferenceKind.MissingIndex, "users.idx_users_email_unique"), (difference.Kind, difference.Subject));
        Assert.Equal(BsonDocument.Parse("{ email: 1 }"), difference.Expected!["key"]);
        Assert.True(difference.Expected!["unique"].AsBoolean);
        Assert.Null(difference.Actual);
    }

    [Fact]
    public void An_unexpected_index_is_reported()
    {
        var extra = Users().WithIndex(Index("idx_by_hand", "{ created_at: -1 }"));

        var difference = Assert.Single(CatalogDiff.Between(Catalog(Users()), Catalog(extra)));

        Assert.Equal((DifferenceKind.UnexpectedIndex, "users.idx_by_hand"), (difference.Kind, difference.Subject));
        Assert.Null(difference.Expected);
    }

    [Theory]
    [InlineData("{ email: -1 }", true, null)]
    [InlineData("{ email: 1 }", false, null)]
    [InlineData("{ email: 1 }", true, 60L)]
    [InlineData("{ email: 1, created_at: 1 }", true, null)]
    public void An_index_with_the_same_name_and_another_definition_differs(string key, bool unique, long? ttl)
    {
        var changed = Users().WithIndex(Index("idx_users_email_unique", key, unique, ttl));

        var difference = Assert.Single(CatalogDiff.Between(Catalog(Users()), Catalog(changed)));

        Assert.Equal((DifferenceKind.IndexDiffers, "users.idx_users_email_unique"), (difference.Kind, difference.Subject));
        Assert.Equal(BsonDocument.Parse(key), difference.Actual!["key"]);
    }

    [Fact]
    public void A_different_version_is_reported_first()
    {
        var differences = CatalogDiff.Between(ExpectedAt("1.1.0"), ExpectedAt("1.0.0"));

        var version = differences[0];
        Assert.Equal(DifferenceKind.VersionDiffers, version.Kind);
        Assert.Null(version.Collection);
        Assert.Equal("schema version", version.Subject);
        Assert.Equal("1.1.0", version.Expected!.AsString);
        Assert.Equal("1.0.0", version.Actual!.AsString);
        Assert.Equal("schema version is \"1.0.0\", expected \"1.1.0\"", version.DescribeAsDrift());
        Assert.Equal(
            ["paper_trading_accounts", "paper_trading_trades", "portfolio_history"],
            differences.Where(d => d.Kind == DifferenceKind.MissingCollection).Select(d => d.Collection));
    }

    [Fact]
    public void Only_the_version_differs_between_the_same_collections_at_two_versions()
    {
        var difference = Assert.Single(CatalogDiff.Between(Catalog(Users()).WithVersion(V("1.2.0")), Catalog(Users())));

        Assert.Equal(DifferenceKind.VersionDiffers, difference.Kind);
    }

    [Fact]
    public void Collections_outside_the_scope_are_not_compared_but_the_version_is()
    {
        var expected = Catalog(Users(), Trades()).WithVersion(V("1.0.0"));
        var actual = Catalog(Collection("app_cache"), Users().WithoutIndexes());

        var differences = CatalogDiff.Between(expected, actual, name => name == "users");

        Assert.Equal([DifferenceKind.VersionDiffers, DifferenceKind.MissingIndex], differences.Select(d => d.Kind));
        Assert.Equal("users", differences[1].Collection);
    }

    [Fact]
    public void Differences_come_in_collection_name_order()
    {
        var differences = CatalogDiff.Between(Catalog(Collection("b"), Collection("a"), Collection("c")), Catalog(Collection("d")));

        Assert.Equal(["a", "b", "c", "d"], differences.Select(d => d.Collection));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("strict", "error")]
    [InlineData("strict", null)]
    [InlineData(null, "error")]
    public void A_validator_with_default_level_and_action_equals_one_without(string? level, string? action)
    {
        var validator = BsonDocument.Parse(EmailRequired);
        var options = new CollectionOptions(validator, level, action);

        Assert.Equal(new CollectionOptions(validator), options);
        Assert.Equal("strict", options.ValidationLevel);
        Assert.Equal("error", options.ValidationAction);
        Assert.Empty(CatalogDiff.Between(Catalog(Users()), Catalog(Users() with { Options = options })));
    }

    [Theory]
    [InlineData("moderate", null)]
    [InlineData(null, "warn")]
    public void A_validator_with_another_level_or_action_is_not_normalised_away(string? level, string? action)
    {
        var validator = BsonDocument.Parse(EmailRequired);

        Assert.NotEqual(new CollectionOptions(validator), new CollectionOptions(validator, level, action));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("strict", "error")]
    public void An_empty_validator_equals_no_validator(string? level, string? action)
    {
        var options = new CollectionOptions(new BsonDocument(), level, action);

        Assert.Equal(CollectionOptions.None, options);
        Assert.Null(options.Validator);
        Assert.Empty(CatalogDiff.Between(Catalog(Collection("positions")), Catalog(Collection("positions") with { Options = options })));
    }

    [Fact]
    public void Other_validators_differ()
    {
        var a = new CollectionOptions(BsonDocument.Parse(EmailRequired));
        var b = new CollectionOptions(BsonDocument.Parse("{ $jsonSchema: { bsonType: 'object', required: ['email', 'created_at'] } }"));

        Assert.NotEqual(a, b);
        Assert.NotEqual(CollectionOptions.None, a);
    }

    [Theory]
    [InlineData("int")]
    [InlineData("long")]
    [InlineData("double")]
    [InlineData("decimal")]
    public void Index_key_directions_of_any_numeric_type_are_normalised(string type)
    {
        BsonValue direction = type switch
        {
            "int" => new BsonInt32(1),
            "long" => new BsonInt64(1L),
            "double" => new BsonDouble(1.0),
            _ => new BsonDecimal128(1m),
        };
        var reported = new IndexDefinition("idx", new BsonDocument { { "user_id", direction }, { "created_at", new BsonDouble(-1.0) } });
        var declared = new IndexDefinition("idx", BsonDocument.Parse("{ user_id: 1, created_at: -1 }"));

        Assert.Equal(declared, reported);
        Assert.True(declared.HasSameKeyAs(reported));
        Assert.Equal(new BsonInt32(1), reported.Key["user_id"]);
        Assert.Empty(CatalogDiff.Between(Catalog(Collection("trades", null, declared)), Catalog(Collection("trades", null, reported))));
    }

    [Fact]
    public void Index_keys_keep_non_numeric_and_fractional_values()
    {
        var index = new IndexDefinition("idx", new BsonDocument { { "location", "2dsphere" }, { "score", 0.5 } });

        Assert.Equal(new BsonString("2dsphere"), index.Key["location"]);
        Assert.Equal(new BsonDouble(0.5), index.Key["score"]);
    }

    [Fact]
    public void Index_keys_with_the_same_fields_in_another_order_differ()
    {
        var a = Index("idx", "{ user_id: 1, created_at: -1 }");
        var b = Index("idx", "{ created_at: -1, user_id: 1 }");

        Assert.NotEqual(a, b);
        Assert.False(a.HasSameKeyAs(b));
    }

    [Fact]
    public void An_index_needs_a_key_field() =>
        Assert.Throws<ArgumentException>(() => new IndexDefinition("idx", new BsonDocument()));
}
