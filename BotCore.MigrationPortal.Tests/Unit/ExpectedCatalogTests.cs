using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using MongoDB.Bson;
using static BotCore.MigrationPortal.Tests.Unit.EngineTestData;

namespace BotCore.MigrationPortal.Tests.Unit;

/// <summary>The fold of the real migrations: what a database should hold at each version, per the spec's scripts.</summary>
public sealed class ExpectedCatalogTests
{
    /// <summary>
    /// Every collection of the spec, with the first version whose migration creates or ensures it. positions is named by
    /// 1.0.0's "Changes" list but created by no script: the application creates it, and 1.3.0, the first script to use
    /// it, ensures it.
    /// </summary>
    private static readonly (string Version, string Collection)[] SpecCollections =
    [
        ("1.0.0", "users"), ("1.0.0", "trades"), ("1.0.0", "market_data"), ("1.3.0", "positions"),
        ("1.1.0", "paper_trading_accounts"), ("1.1.0", "paper_trading_trades"), ("1.1.0", "portfolio_history"),
        ("1.2.0", "ai_analysis_results"), ("1.2.0", "ai_signals"),
        ("1.3.0", "risk_metrics"), ("1.3.0", "portfolio_snapshots"),
    ];

    /// <summary>Every index the spec's scripts create: version, collection, name, key (in declared order), unique, TTL.</summary>
    private static readonly (string Version, string Collection, string Name, string Key, bool Unique, long? Ttl)[] SpecIndexes =
    [
        ("1.0.0", "users", "idx_users_email_unique", "{ email: 1 }", true, null),
        ("1.0.0", "trades", "idx_trades_user_created", "{ user_id: 1, created_at: -1 }", false, null),
        ("1.0.0", "trades", "idx_trades_ttl", "{ created_at: 1 }", false, 31536000),
        ("1.1.0", "paper_trading_accounts", "idx_paper_accounts_user_unique", "{ user_id: 1 }", true, null),
        ("1.1.0", "paper_trading_trades", "idx_paper_trades_id_unique", "{ trade_id: 1 }", true, null),
        ("1.1.0", "paper_trading_trades", "idx_paper_trades_user_created", "{ user_id: 1, created_at: -1 }", false, null),
        ("1.2.0", "ai_analysis_results", "idx_ai_analysis_symbol_timestamp", "{ symbol: 1, timestamp: -1 }", false, null),
        ("1.2.0", "ai_analysis_results", "idx_ai_analysis_signal_confidence", "{ signal: 1, confidence: -1 }", false, null),
        ("1.2.0", "ai_analysis_results", "idx_ai_analysis_ttl", "{ created_at: 1 }", false, 2592000),
        ("1.2.0", "ai_signals", "idx_ai_signals_id_unique", "{ signal_id: 1 }", true, null),
        ("1.3.0", "risk_metrics", "idx_risk_metrics_user_time", "{ user_id: 1, timestamp: -1 }", false, null),
    ];

    public static TheoryData<string> AllVersions => new(Versions);

    public static TheoryData<string> IndexNames => new(SpecIndexes.Select(i => i.Name));

    [Fact]
    public void The_build_registers_the_four_migrations_of_the_spec_in_order()
    {
        Assert.Equal(Versions, Registry.Migrations.Select(m => m.Version.ToString()));
        Assert.Equal(V("1.3.0"), Registry.Latest);
    }

    [Fact]
    public void At_0_0_0_the_catalog_is_empty()
    {
        var catalog = ExpectedAt("0.0.0");

        Assert.Empty(catalog.Collections);
        Assert.Equal(SchemaCatalog.Empty, catalog);
    }

    [Theory]
    [InlineData("1.4.0")]
    [InlineData("0.9.0")]
    [InlineData("1.0.1")]
    public void An_unknown_version_has_no_expected_catalog(string version)
    {
        var error = Assert.Throws<BadInputException>(() => Registry.ExpectedCatalogAt(V(version)));

        Assert.Contains(version, error.Message);
    }

    [Theory]
    [MemberData(nameof(AllVersions))]
    public void Each_version_holds_exactly_the_collections_created_up_to_it(string version)
    {
        var catalog = ExpectedAt(version);

        Assert.Equal(V(version), catalog.Version);
        Assert.Equal(
            SpecCollections.Where(c => V(c.Version) <= V(version)).Select(c => c.Collection).Order(StringComparer.Ordinal),
            catalog.Collections.Keys);
    }

    [Fact]
    public void The_collections_no_script_creates_are_the_applications_and_the_others_the_migrations()
    {
        var catalog = ExpectedAt("1.3.0");

        Assert.Equal(
            ["portfolio_history", "portfolio_snapshots", "positions"],
            catalog.Collections.Values.Where(c => c.Owner == CollectionOwner.Application).Select(c => c.Name));
        Assert.Equal(["portfolio_history", "portfolio_snapshots", "positions"], Registry.ApplicationOwnedCollections.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(AllVersions))]
    public void Each_version_holds_exactly_the_indexes_created_up_to_it(string version)
    {
        var catalog = ExpectedAt(version);

        Assert.Equal(
            SpecIndexes.Where(i => V(i.Version) <= V(version)).Select(i => $"{i.Collection}.{i.Name}").Order(StringComparer.Ordinal),
            catalog.Collections.Values.SelectMany(c => c.Indexes.Keys.Select(name => $"{c.Name}.{name}")).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(IndexNames))]
    public void Each_index_has_its_declared_key_order_uniqueness_and_ttl(string name)
    {
        var spec = SpecIndexes.Single(i => i.Name == name);
        var index = ExpectedAt("1.3.0").Get(spec.Collection).Indexes[name];
        var key = BsonDocument.Parse(spec.Key);

        Assert.Equal(name, index.Name);
        Assert.Equal(key.Names, index.Key.Names);
        Assert.Equal(key.Values.Select(v => v.ToInt32()), index.Key.Values.Select(v => v.ToInt32()));
        Assert.Equal(spec.Unique, index.Unique);
        Assert.Equal(spec.Ttl, index.ExpireAfterSeconds);
        Assert.Null(index.PartialFilterExpression);
    }

    [Theory]
    [MemberData(nameof(AllVersions))]
    public void A_collection_keeps_its_definition_in_every_later_version(string version)
    {
        var at = ExpectedAt(version);
        var latest = ExpectedAt("1.3.0");

        Assert.All(at.Collections.Values, collection => Assert.Equal(collection, latest.Find(collection.Name)));
    }

    [Theory]
    [InlineData("users", new[] { "email", "password_hash", "created_at" })]
    [InlineData("trades", new[] { "user_id", "symbol", "side", "quantity", "created_at" })]
    [InlineData("paper_trading_accounts", new[] { "user_id", "initial_balance", "current_balance", "created_at" })]
    [InlineData("paper_trading_trades", new[] { "trade_id", "user_id", "account_id", "symbol", "trade_type" })]
    [InlineData("ai_analysis_results", new[] { "analysis_id", "symbol", "signal", "confidence", "timestamp" })]
    [InlineData("risk_metrics", new[] { "user_id", "timestamp" })]
    public void Validators_require_the_fields_of_the_spec(string collection, string[] required)
    {
        var options = ExpectedAt("1.3.0").Get(collection).Options;
        var schema = JsonSchemaOf(collection);

        Assert.Equal("object", schema["bsonType"].AsString);
        Assert.Equal(required, schema["required"].AsBsonArray.Select(v => v.AsString));
        Assert.Equal(CollectionOptions.DefaultValidationLevel, options.ValidationLevel);
        Assert.Equal(CollectionOptions.DefaultValidationAction, options.ValidationAction);
    }

    [Theory]
    [InlineData("positions")]
    [InlineData("market_data")]
    [InlineData("portfolio_history")]
    [InlineData("ai_signals")]
    [InlineData("portfolio_snapshots")]
    public void Collections_the_spec_gives_no_validator_have_none(string collection)
    {
        var options = ExpectedAt("1.3.0").Get(collection).Options;

        Assert.Null(options.Validator);
        Assert.Null(options.ValidationLevel);
        Assert.Null(options.ValidationAction);
    }

    [Theory]
    [InlineData("users", "email", "string")]
    [InlineData("users", "password_hash", "string")]
    [InlineData("users", "is_active", "bool")]
    [InlineData("trades", "user_id", "objectId")]
    [InlineData("trades", "symbol", "string")]
    [InlineData("paper_trading_accounts", "user_id", "objectId")]
    [InlineData("paper_trading_accounts", "initial_balance", "decimal")]
    [InlineData("paper_trading_accounts", "current_balance", "decimal")]
    [InlineData("paper_trading_trades", "trade_id", "string")]
    [InlineData("paper_trading_trades", "user_id", "objectId")]
    [InlineData("paper_trading_trades", "account_id", "objectId")]
    [InlineData("ai_analysis_results", "analysis_id", "string")]
    [InlineData("ai_analysis_results", "symbol", "string")]
    [InlineData("ai_analysis_results", "confidence", "double")]
    [InlineData("risk_metrics", "user_id", "objectId")]
    [InlineData("risk_metrics", "portfolio_var_95", "decimal")]
    [InlineData("risk_metrics", "portfolio_var_99", "decimal")]
    [InlineData("risk_metrics", "expected_shortfall", "decimal")]
    [InlineData("risk_metrics", "leverage_ratio", "double")]
    [InlineData("risk_metrics", "margin_usage_percentage", "double")]
    public void Validator_properties_have_the_bson_type_of_the_spec(string collection, string property, string bsonType) =>
        Assert.Equal(bsonType, JsonSchemaOf(collection)["properties"][property]["bsonType"].AsString);

    [Theory]
    [InlineData("trades", "side", new[] { "BUY", "SELL" })]
    [InlineData("trades", "status", new[] { "PENDING", "FILLED", "PARTIALLY_FILLED", "CANCELLED", "FAILED" })]
    [InlineData("paper_trading_trades", "trade_type", new[] { "LONG", "SHORT" })]
    [InlineData("paper_trading_trades", "status", new[] { "OPEN", "CLOSED", "CANCELLED" })]
    [InlineData("ai_analysis_results", "signal", new[] { "BUY", "SELL", "HOLD", "NEUTRAL" })]
    public void Validator_enums_list_the_values_of_the_spec(string collection, string property, string[] values) =>
        Assert.Equal(values, JsonSchemaOf(collection)["properties"][property]["enum"].AsBsonArray.Select(v => v.AsString));

    [Fact]
    public void Users_email_must_match_the_spec_pattern()
    {
        var pattern = JsonSchemaOf("users")["properties"]["email"]["pattern"].AsString;

        Assert.Equal(@"^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}$", pattern);
    }

    [Fact]
    public void Users_password_hash_has_a_minimum_length_of_60() =>
        Assert.Equal(new BsonInt32(60), JsonSchemaOf("users")["properties"]["password_hash"]["minLength"]);

    [Fact]
    public void Confidence_lies_between_0_and_1_as_doubles()
    {
        var confidence = JsonSchemaOf("ai_analysis_results")["properties"]["confidence"].AsBsonDocument;

        Assert.Equal(new BsonDouble(0.0), confidence["minimum"]);
        Assert.Equal(new BsonDouble(1.0), confidence["maximum"]);
    }

    [Fact]
    public void Market_data_is_a_time_series_on_open_time_by_symbol_in_minutes_kept_90_days()
    {
        var marketData = ExpectedAt("1.0.0").Get("market_data");

        Assert.Equal(CollectionType.TimeSeries, marketData.Type);
        Assert.Equal(new TimeSeriesDefinition("open_time", "symbol", "minutes"), marketData.Options.TimeSeries);
        Assert.Equal(7776000, marketData.Options.ExpireAfterSeconds);
        Assert.Empty(marketData.Indexes);
    }

    [Fact]
    public void Only_market_data_is_a_time_series()
    {
        var catalog = ExpectedAt("1.3.0");

        Assert.Equal(["market_data"], catalog.Collections.Values.Where(c => c.Type == CollectionType.TimeSeries).Select(c => c.Name));
        Assert.All(catalog.Collections.Values.Where(c => c.Name != "market_data"), c =>
        {
            Assert.Null(c.Options.TimeSeries);
            Assert.Null(c.Options.ExpireAfterSeconds);
        });
    }

    [Fact]
    public void The_managed_collections_are_every_collection_any_version_creates() =>
        Assert.Equal(SpecCollections.Select(c => c.Collection).Order(StringComparer.Ordinal), Registry.ManagedCollections.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(AllVersions))]
    public void The_catalog_json_has_the_shape_of_listCollections_and_listIndexes(string version)
    {
        var catalog = ExpectedAt(version);

        var json = BsonDocument.Parse(CatalogJson.ToJson(catalog));

        Assert.Equal(version, json["version"].AsString);
        var collections = json["collections"].AsBsonArray.Select(c => c.AsBsonDocument).ToList();
        Assert.Equal(catalog.Collections.Keys, collections.Select(c => c["name"].AsString));
        foreach (var document in collections)
        {
            var collection = catalog.Get(document["name"].AsString);
            Assert.Equal(collection.Type == CollectionType.TimeSeries ? "timeseries" : "collection", document["type"].AsString);
            Assert.Equal<BsonValue?>(collection.Options.Validator, document["options"].AsBsonDocument.GetValue("validator", null));
            var indexes = document["indexes"].AsBsonArray.Select(i => i.AsBsonDocument).ToList();
            Assert.Equal(collection.Indexes.Keys, indexes.Select(i => i["name"].AsString));
            foreach (var index in indexes)
            {
                var expected = collection.Indexes[index["name"].AsString];
                Assert.Equal(expected.Key, index["key"].AsBsonDocument);
                Assert.Equal(expected.Unique, index["unique"].AsBoolean);
                Assert.Equal(expected.ExpireAfterSeconds, index.TryGetValue("expireAfterSeconds", out var ttl) ? ttl.ToInt64() : null);
            }
        }
    }

    [Fact]
    public void The_catalog_json_gives_validation_level_and_action_of_validated_collections()
    {
        var users = CollectionJson("users");

        Assert.Equal("strict", users["options"]["validationLevel"].AsString);
        Assert.Equal("error", users["options"]["validationAction"].AsString);
        Assert.Equal("decimal", CollectionJson("paper_trading_accounts")["options"]["validator"]["$jsonSchema"]["properties"]["initial_balance"]["bsonType"].AsString);
    }

    [Fact]
    public void The_catalog_json_gives_the_time_series_options_of_market_data()
    {
        var marketData = CollectionJson("market_data");

        Assert.Equal("timeseries", marketData["type"].AsString);
        Assert.Equal(BsonDocument.Parse("{ timeField: 'open_time', metaField: 'symbol', granularity: 'minutes' }"), marketData["options"]["timeseries"].AsBsonDocument);
        Assert.Equal(7776000, marketData["options"]["expireAfterSeconds"].ToInt64());
        Assert.Empty(marketData["indexes"].AsBsonArray);
    }

    [Fact]
    public void The_catalog_json_gives_empty_options_to_a_plain_collection() =>
        Assert.Equal(new BsonDocument(), CollectionJson("positions")["options"].AsBsonDocument);

    [Fact]
    public void The_catalog_json_gives_the_ttl_of_a_ttl_index_and_the_key_in_declared_order()
    {
        var indexes = CollectionJson("trades")["indexes"].AsBsonArray.Select(i => i.AsBsonDocument).ToDictionary(i => i["name"].AsString);

        Assert.Equal(31536000, indexes["idx_trades_ttl"]["expireAfterSeconds"].ToInt64());
        Assert.False(indexes["idx_trades_ttl"]["unique"].AsBoolean);
        Assert.False(indexes["idx_trades_user_created"].Contains("expireAfterSeconds"));
        Assert.Equal(["user_id", "created_at"], indexes["idx_trades_user_created"]["key"].AsBsonDocument.Names);
        Assert.Equal([1, -1], indexes["idx_trades_user_created"]["key"].AsBsonDocument.Values.Select(v => v.ToInt32()));
    }

    private static BsonDocument JsonSchemaOf(string collection) =>
        ExpectedAt("1.3.0").Get(collection).Options.Validator!["$jsonSchema"].AsBsonDocument;

    private static BsonDocument CollectionJson(string name) =>
        BsonDocument.Parse(CatalogJson.ToJson(ExpectedAt("1.3.0")))["collections"].AsBsonArray
            .Select(c => c.AsBsonDocument).Single(c => c["name"].AsString == name);
}
