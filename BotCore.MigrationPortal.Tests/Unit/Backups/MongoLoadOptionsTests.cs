using BotCore.MigrationPortal.Backups.Layout;
using BotCore.MigrationPortal.Backups.Mongo;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Tests.Unit.Backups;

/// <summary>
/// What a restore and a verification ask of the server, written out without one: which collections a backup copies, where a
/// verification puts its copies, and the options it creates them with so that it needs no privilege a restore alone needs.
/// </summary>
public sealed class MongoLoadOptionsTests
{
    private static readonly CollectionMetadata Trades = new("trades", CollectionMetadata.CollectionType, BsonDocument.Parse("""
        { validator: { $jsonSchema: { bsonType: "object", required: ["user_id"] } }, validationLevel: "strict", validationAction: "error" }
        """), [CollectionMetadata.IdIndex()], null);

    private static readonly CollectionMetadata MarketData = new("market_data", CollectionMetadata.TimeSeriesType, BsonDocument.Parse("""
        { timeseries: { timeField: "open_time", metaField: "symbol", granularity: "minutes", bucketMaxSpanSeconds: 86400 }, expireAfterSeconds: 7776000 }
        """), [], null);

    [Fact]
    public void A_restore_recreates_a_collection_with_its_validator_in_force_and_its_expiry()
    {
        var options = MongoCreateOptions.From(Trades, LoadPurpose.Restore, _ => Assert.Fail("nothing is left out"));
        var timeSeries = MongoCreateOptions.From(MarketData, LoadPurpose.Restore, _ => Assert.Fail("nothing is left out"));

        Assert.Equal(DocumentValidationLevel.Strict, options.ValidationLevel);
        Assert.Equal(TimeSpan.FromSeconds(7776000), timeSeries.ExpireAfter);
        Assert.Equal(BsonDocument.Parse("{ timeField: 'open_time', metaField: 'symbol', granularity: 'minutes' }"), timeSeries.TimeSeriesOptions.ToBsonDocument());
    }

    [Fact]
    public void A_scratch_copy_keeps_the_validator_but_switches_it_off_instead_of_bypassing_it_and_expires_nothing()
    {
        var options = MongoCreateOptions.From(Trades, LoadPurpose.Scratch, _ => Assert.Fail("nothing is left out"));
        var timeSeries = MongoCreateOptions.From(MarketData, LoadPurpose.Scratch, _ => Assert.Fail("nothing is left out"));

        Assert.NotNull(options.Validator);
        Assert.Equal(DocumentValidationLevel.Off, options.ValidationLevel);
        Assert.Null(timeSeries.ExpireAfter);
    }

    [Fact]
    public void A_view_is_created_again_from_its_definition_as_listCollections_reported_it()
    {
        var view = new CollectionMetadata("active_users", CollectionMetadata.ViewType,
            BsonDocument.Parse("{ viewOn: 'users', pipeline: [ { $match: { is_active: true } } ] }"), [], null);

        Assert.Equal(BsonDocument.Parse("{ create: 'active_users', viewOn: 'users', pipeline: [ { $match: { is_active: true } } ] }"), MongoCreateOptions.ViewCommand(view));
    }

    [Theory]
    [InlineData("users", true)]
    [InlineData("system.js", true)]
    [InlineData("system.views", false)]
    [InlineData("system.buckets.market_data", false)]
    [InlineData("migration_lock", false)]
    [InlineData("migration_checkpoints", false)]
    [InlineData("migration_changelog", true)]
    public void A_backup_copies_what_mongodump_copies_but_the_portal_s_coordination_state(string collection, bool copied)
    {
        Assert.Equal(copied, MongoBackupEngine.IsBackedUp(collection));
    }

    [Fact]
    public void Each_target_is_verified_in_its_own_scratch_database_whose_name_fits_mongodb_s_63_bytes()
    {
        Assert.Equal("bot_core_db_portal_verify", MongoBackupEngine.ScratchName("bot_core_db"));
        Assert.Equal(63, MongoBackupEngine.ScratchName(new string('d', 63)).Length);
    }

    [Fact]
    public void On_a_collection_with_a_default_collation_an_index_listed_without_one_is_created_with_the_simple_collation()
    {
        // listIndexes leaves the simple collation out; created without one, the index would inherit the collection's "fr"
        // (mongorestore adds {locale: "simple"} for the same reason: mongo-tools common/idx/index_catalog.go GetIndexes).
        var metadata = new CollectionMetadata("users", CollectionMetadata.CollectionType,
            BsonDocument.Parse("{ collation: { locale: 'fr', strength: 2, version: '57.1' } }"),
            [
                BsonDocument.Parse("{ v: 2, key: { _id: 1 }, name: '_id_', collation: { locale: 'fr', strength: 2, version: '57.1' } }"),
                BsonDocument.Parse("{ v: 2, key: { username: 1 }, name: 'username_1', unique: true }"),
                BsonDocument.Parse("{ v: 2, key: { display: 1 }, name: 'display_1', collation: { locale: 'de', version: '57.1' } }"),
            ], null);

        var models = MongoIndexModels.For(metadata, _ => Assert.Fail("nothing is left out"));

        Assert.Equal(["username_1", "display_1"], models.Select(model => model.Options.Name));
        Assert.Equal(BsonDocument.Parse("{ locale: 'simple' }"), models[0].Options.Collation.ToBsonDocument());
        Assert.Equal("de", models[1].Options.Collation.Locale);
    }

    [Theory]
    [InlineData("{ }")]
    [InlineData("{ collation: { locale: 'simple' } }")]
    public void On_a_collection_with_the_simple_collation_an_index_without_one_is_created_without_one(string options)
    {
        var metadata = new CollectionMetadata("users", CollectionMetadata.CollectionType, BsonDocument.Parse(options),
            [BsonDocument.Parse("{ v: 2, key: { username: 1 }, name: 'username_1', unique: true }")], null);

        var model = Assert.Single(MongoIndexModels.For(metadata, _ => Assert.Fail("nothing is left out")));

        Assert.Null(model.Options.Collation);
    }
}
