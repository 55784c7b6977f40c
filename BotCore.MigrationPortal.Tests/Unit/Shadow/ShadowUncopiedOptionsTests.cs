using BotCore.MigrationPortal.Engine.Shadow;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Tests.Unit.Shadow;

/// <summary>
/// What a rebuild would lose, read from raw listCollections options and listIndexes specs (in the shapes MongoDB 7 lists them): the
/// step refuses such a collection before it copies anything.
/// </summary>
public sealed class ShadowUncopiedOptionsTests
{
    private static readonly BsonDocument IdIndex = BsonDocument.Parse("{ v: 2, key: { _id: 1 }, name: \"_id_\" }");

    [Fact]
    public void A_validator_and_plain_unique_ttl_and_partial_indexes_lose_nothing()
    {
        var options = BsonDocument.Parse("{ validator: { $jsonSchema: { required: [\"n\"] } }, validationLevel: \"moderate\", validationAction: \"warn\" }");
        BsonDocument[] indexes =
        [
            IdIndex,
            BsonDocument.Parse("{ v: 2, key: { n: 1 }, name: \"idx_n\", unique: true, partialFilterExpression: { n: { $gt: 0 } } }"),
            BsonDocument.Parse("{ v: 2, key: { at: 1 }, name: \"ttl_at\", expireAfterSeconds: 3600, background: true, sparse: false, hidden: false }"),
            BsonDocument.Parse("{ v: 2, key: { loc: \"hashed\" }, name: \"loc_hashed\" }"),
        ];

        Assert.Empty(ShadowUncopiedOptions.In(options, indexes));
        Assert.Empty(ShadowUncopiedOptions.In(new BsonDocument(), [IdIndex]));
    }

    [Theory]
    [InlineData("{ collation: { locale: \"fr\", strength: 2 } }", "the collection option collation")]
    [InlineData("{ capped: true, size: 4096 }", "the collection option capped; the collection option size")]
    [InlineData("{ clusteredIndex: { key: { _id: 1 }, unique: true }, expireAfterSeconds: 60 }", "the collection option clusteredIndex; the collection option expireAfterSeconds")]
    [InlineData("{ changeStreamPreAndPostImages: { enabled: true } }", "the collection option changeStreamPreAndPostImages")]
    [InlineData("{ storageEngine: { wiredTiger: { configString: \"block_compressor=zstd\" } } }", "the collection option storageEngine")]
    public void Collection_options_besides_the_validator_are_named(string options, string lost)
    {
        Assert.Equal(lost, string.Join("; ", ShadowUncopiedOptions.In(BsonDocument.Parse(options), [IdIndex])));
    }

    [Theory]
    [InlineData("{ v: 2, key: { email: 1 }, name: \"email_1\", unique: true, sparse: true }", "sparse of the index email_1")]
    [InlineData("{ v: 2, key: { name: 1 }, name: \"name_1\", collation: { locale: \"en\", strength: 2 } }", "collation of the index name_1")]
    [InlineData("{ v: 2, key: { _fts: \"text\", _ftsx: 1 }, name: \"body_text\", weights: { body: 1 }, default_language: \"english\", language_override: \"language\", textIndexVersion: 3 }",
        "weights, default_language, language_override, textIndexVersion of the index body_text")]
    [InlineData("{ v: 2, key: { loc: \"2dsphere\" }, name: \"loc_2dsphere\", \"2dsphereIndexVersion\": 3 }", "2dsphereIndexVersion of the index loc_2dsphere")]
    [InlineData("{ v: 2, key: { \"$**\": 1 }, name: \"all\", wildcardProjection: { secret: 0 } }", "wildcardProjection of the index all")]
    [InlineData("{ v: 2, key: { n: 1 }, name: \"n_1\", hidden: true }", "hidden of the index n_1")]
    public void Index_options_the_catalog_does_not_model_are_named_with_their_index(string index, string lost)
    {
        Assert.Equal([lost], ShadowUncopiedOptions.In(new BsonDocument(), [IdIndex, BsonDocument.Parse(index)]));
    }

    [Fact]
    public void Index_options_do_not_matter_when_the_migration_gives_the_rebuilt_collection_its_own_indexes()
    {
        Assert.Empty(ShadowUncopiedOptions.In(new BsonDocument(), indexes: null));
        Assert.Equal(["the collection option collation"], ShadowUncopiedOptions.In(BsonDocument.Parse("{ collation: { locale: \"fr\" } }"), indexes: null));
    }
}
