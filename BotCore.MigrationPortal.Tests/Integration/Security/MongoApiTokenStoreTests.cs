using BotCore.MigrationPortal.Hosting;
using BotCore.MigrationPortal.Security.Tokens;
using BotCore.MigrationPortal.Tests.Support;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Tests.Integration.Security;

/// <summary>The API token store against a real MongoDB 7 (skipped, with the reason, where there is none).</summary>
public sealed class MongoApiTokenStoreTests(MongoFixture mongo) : ApiTokenStoreContract
{
    private IMongoDatabase? database;

    protected override async Task<IApiTokenStore> NewStoreAsync()
    {
        database = mongo.NewStoreDatabase();
        var store = new MongoApiTokenStore(new PortalDatabase(database, "integration-test", SupportsChangeStreams: false));
        await store.EnsureIndexesAsync(Token);
        return store;
    }

    [Fact]
    public async Task The_unique_index_refuses_a_second_token_with_the_same_hash_and_the_secret_is_nowhere()
    {
        var store = await NewStoreAsync();
        var secret = ApiTokenSecret.New();
        var token = NewToken("a1") with { Hash = ApiTokenSecret.HashOf(secret) };
        await store.InsertAsync(token, Token);

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.InsertAsync(NewToken("a2") with { Hash = token.Hash }, Token));

        var document = await database!.GetCollection<BsonDocument>(MongoApiTokenStore.CollectionName).Find(FilterDefinition<BsonDocument>.Empty).SingleAsync(Token);
        Assert.Equal(("a1", "Operator", token.Hash), (document["_id"].AsString, document["role"].AsString, document["hash"].AsString));
        Assert.DoesNotContain(secret[4..], document.ToJson());
    }
}
