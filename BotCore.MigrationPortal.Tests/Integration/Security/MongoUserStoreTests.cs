using BotCore.MigrationPortal.Hosting;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Support;
using MongoDB.Bson;
using MongoDB.Driver;
using static BotCore.MigrationPortal.Tests.Support.SecurityTestUsers;

namespace BotCore.MigrationPortal.Tests.Integration.Security;

/// <summary>The user store against a real MongoDB 7 (skipped, with the reason, where there is none).</summary>
public sealed class MongoUserStoreTests(MongoFixture mongo) : SecurityUserStoreContract
{
    private IMongoDatabase? database;

    protected override IUserStore NewStore()
    {
        database = mongo.NewStoreDatabase();
        return new MongoUserStore(new PortalDatabase(database, "integration-test", SupportsChangeStreams: false));
    }

    [Fact]
    public async Task A_user_document_has_the_lower_case_name_as_id_and_the_role_by_name()
    {
        var store = NewStore();

        await store.TryInsertAsync(User("Alice", Role.Approver), Token);

        var document = await database!.GetCollection<BsonDocument>(MongoUserStore.CollectionName).Find(FilterDefinition<BsonDocument>.Empty).SingleAsync(Token);
        Assert.Equal("alice", document["_id"].AsString);
        Assert.Equal("Alice", document["name"].AsString);
        Assert.Equal("Approver", document["role"].AsString);
        Assert.StartsWith("AQAAAA", document["passwordHash"].AsString);
        Assert.DoesNotContain(Password, document.ToJson());
    }

    [Fact]
    public async Task Another_portal_instance_sees_the_same_users()
    {
        var store = NewStore();
        await store.TryInsertAsync(User("alice", Role.Approver), Token);
        var other = new MongoUserStore(new PortalDatabase(mongo.NewClient(database!).GetDatabase(database!.DatabaseNamespace.DatabaseName), "integration-test", SupportsChangeStreams: false));

        await other.RecordFailedSignInAsync("alice", "10.0.0.7", DateTime.UtcNow, LockoutPolicy.Default, Token);

        Assert.Equal(1, (await store.FindAsync("alice", Token))!.FailedAttempts);
    }
}
