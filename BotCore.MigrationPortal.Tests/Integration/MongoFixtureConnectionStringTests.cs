using MongoDB.Driver;

namespace BotCore.MigrationPortal.Tests.Integration;

/// <summary>The least-privileged connection string the fixture hands the portal; needs no MongoDB, so it runs on every CI run.</summary>
public sealed class MongoFixtureConnectionStringTests
{
    [Fact]
    public void Keeps_hosts_and_options_and_replaces_the_administrator_by_the_user_with_authSource_admin_and_escaped_credentials()
    {
        const string password = "p@ss:w/rd%?#&=+ é";

        var connectionString = MongoFixture.LeastPrivilegedConnectionString(
            "mongodb://root:secret@localhost:27017/?replicaSet=rs0&directConnection=true&authSource=other&authMechanism=SCRAM-SHA-1",
            "it_0123_portal", password);

        var url = new MongoUrl(connectionString);
        Assert.Equal(("it_0123_portal", password, "admin"), (url.Username, url.Password, url.AuthenticationSource));
        Assert.Null(url.AuthenticationMechanism);
        Assert.Equal(("rs0", true), (url.ReplicaSetName, url.DirectConnection));
        Assert.Equal(new MongoServerAddress("localhost", 27017), Assert.Single(url.Servers));
        Assert.DoesNotContain("secret", connectionString);
        Assert.DoesNotContain("p@ss", connectionString);
    }

    [Fact]
    public void Adds_credentials_to_a_connection_string_without_any_as_for_a_server_without_access_control()
    {
        var url = new MongoUrl(MongoFixture.LeastPrivilegedConnectionString("mongodb://localhost:27017/?replicaSet=rs0&directConnection=true", "u", "p"));

        Assert.Equal(("u", "p", "admin", "rs0"), (url.Username, url.Password, url.AuthenticationSource, url.ReplicaSetName));
    }
}
