using System.Net;
using BotCore.MigrationPortal.Hosting;
using BotCore.MigrationPortal.Security;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Tests.Unit.Security;

/// <summary>Who a sign-in comes from, and how the MongoDB store remembers failing clients (rendered; no server runs here).</summary>
public sealed class SignInClientTests
{
    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("fe80::1%3", "fe80::/64")]
    [InlineData("::1", "::1")]
    public void An_IPv6_client_is_its_64_network_and_any_other_its_address(string address, string client) =>
        Assert.Equal(client, SignInEndpoints.ClientOf(IPAddress.Parse(address)));

    [Fact]
    public void A_connection_without_an_address_is_an_unknown_client() => Assert.Equal("unknown", SignInEndpoints.ClientOf((IPAddress?)null));

    private static RenderArgs<PortalUser> Args()
    {
        PortalBson.Register();
        return new(BsonSerializer.SerializerRegistry.GetSerializer<PortalUser>(), BsonSerializer.SerializerRegistry);
    }

    [Fact]
    public void The_store_adds_a_failing_client_only_while_the_last_place_is_empty()
    {
        Assert.Equal(BsonDocument.Parse($$"""{ "failingClients.{{LockoutPolicy.RememberedClients - 1}}": { $exists: false } }"""),
            MongoUserStore.HasRoomForAnotherClient.Render(Args()));
    }

    [Fact]
    public void The_store_counts_a_failure_and_adds_its_client_once()
    {
        Assert.Equal(BsonDocument.Parse("""{ $inc: { failedAttempts: 1 }, $addToSet: { failingClients: "198.51.100.1" } }"""),
            MongoUserStore.CountFailureFrom("198.51.100.1").Render(Args()));
    }
}
