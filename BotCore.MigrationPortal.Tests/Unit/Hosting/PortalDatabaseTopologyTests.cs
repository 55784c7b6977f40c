using BotCore.MigrationPortal.Hosting;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Tests.Unit.Hosting;

/// <summary>Change streams or polling, decided from the portal store's hello reply as each kind of server writes it.</summary>
public sealed class PortalDatabaseTopologyTests
{
    [Fact]
    public void A_replica_set_member_serves_change_streams()
    {
        Assert.True(PortalDatabase.ServesChangeStreams(BsonDocument.Parse(
            "{ topologyVersion: { counter: 6 }, hosts: ['mongo:27017'], setName: 'rs0', setVersion: 1, isWritablePrimary: true, secondary: false, maxWireVersion: 21, ok: 1 }")));
    }

    [Fact]
    public void A_mongos_serves_change_streams()
    {
        Assert.True(PortalDatabase.ServesChangeStreams(BsonDocument.Parse(
            "{ isWritablePrimary: true, msg: 'isdbgrid', maxBsonObjectSize: 16777216, maxWireVersion: 21, ok: 1 }")));
    }

    [Fact]
    public void A_standalone_server_does_not_and_events_are_polled()
    {
        Assert.False(PortalDatabase.ServesChangeStreams(BsonDocument.Parse(
            "{ isWritablePrimary: true, topologyVersion: { counter: 0 }, maxBsonObjectSize: 16777216, maxWireVersion: 21, readOnly: false, ok: 1 }")));
    }
}
