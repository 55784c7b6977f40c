using BotCore.MigrationPortal.Hosting;
using BotCore.MigrationPortal.Security.Tokens;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Tests.Unit.Security;

/// <summary>The API token store's filter and indexes as the driver sends them (no server here; the integration tests run them).</summary>
public sealed class MongoApiTokenCommandsTests
{
    private static RenderArgs<ApiToken> Args()
    {
        PortalBson.Register();
        return new(BsonSerializer.SerializerRegistry.GetSerializer<ApiToken>(), BsonSerializer.SerializerRegistry);
    }

    [Fact]
    public void A_use_is_recorded_only_on_a_token_not_used_since_the_cutoff()
    {
        var cutoff = new DateTime(2026, 12, 2, 9, 0, 0, DateTimeKind.Utc);

        Assert.Equal(new BsonDocument
        {
            { "_id", "a1" },
            { "$or", new BsonArray { new BsonDocument("lastUsedAt", BsonNull.Value), new BsonDocument("lastUsedAt", new BsonDocument("$lte", cutoff)) } },
        }, MongoApiTokenStore.RecordableUse("a1", cutoff).Render(Args()));
    }

    [Fact]
    public void The_hash_is_indexed_unique_and_the_owner_for_the_page()
    {
        var indexes = MongoApiTokenStore.Indexes.Select(i => (i.Options.Name, i.Keys.Render(Args()), i.Options.Unique)).ToList();

        Assert.Equal([
            ("hash_unique", BsonDocument.Parse("{ hash: 1 }"), (bool?)true),
            ("owner_created", BsonDocument.Parse("{ owner: 1, createdAt: -1 }"), null),
        ], indexes);
    }
}
