using BotCore.MigrationPortal.Hosting;
using BotCore.MigrationPortal.Security;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Tests.Unit.Security;

/// <summary>The shape of a user in the portal store and of the store's queries, checked without a server.</summary>
public sealed class PortalUserBsonTests
{
    private static readonly PortalUser Alice = new()
    {
        Name = "Alice",
        Role = Role.Approver,
        PasswordHash = "AQAAAAIAAYagAAAAE-hash",
        FailedAttempts = 2,
        LockedUntil = new DateTime(2026, 3, 2, 9, 15, 0, DateTimeKind.Utc),
        CreatedAt = new DateTime(2026, 3, 1, 8, 0, 0, DateTimeKind.Utc),
        CreatedBy = "ada",
    };

    public PortalUserBsonTests() => PortalBson.Register();

    [Fact]
    public void A_user_is_stored_with_its_lower_case_name_as_id_camel_case_fields_and_the_role_by_name()
    {
        var document = Alice.ToBsonDocument();

        Assert.Equal("alice", document["_id"].AsString);
        Assert.Equal("Alice", document["name"].AsString);
        Assert.Equal("Approver", document["role"].AsString);
        Assert.Equal(2, document["failedAttempts"].AsInt32);
        Assert.Equal(Alice.LockedUntil, document["lockedUntil"].ToUniversalTime());
        Assert.False(document["disabled"].AsBoolean);
        Assert.Equal("ada", document["createdBy"].AsString);
    }

    [Fact]
    public void A_stored_user_reads_back_unchanged_and_ignores_fields_it_does_not_know()
    {
        var document = Alice.ToBsonDocument().Add("addedByANewerPortal", true);

        Assert.Equal(Alice, BsonSerializer.Deserialize<PortalUser>(document));
    }

    [Fact]
    public void The_store_finds_a_user_by_the_id_the_lower_case_name()
    {
        var rendered = Builders<PortalUser>.Filter.Eq(u => u.Id, "alice")
            .Render(new RenderArgs<PortalUser>(BsonSerializer.LookupSerializer<PortalUser>(), BsonSerializer.SerializerRegistry));

        Assert.Equal(new BsonDocument("_id", "alice"), rendered);
    }
}
