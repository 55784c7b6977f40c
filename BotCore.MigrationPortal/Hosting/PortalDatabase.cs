using BotCore.MigrationPortal.Engine.Ports;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Hosting;

/// <summary>The portal's own MongoDB database (not a target), shared by the stores of each feature.</summary>
/// <param name="SupportsChangeStreams">
/// A replica set or a sharded cluster: run events reach other portal instances by change stream, and Hangfire watches its queue,
/// instead of polling.
/// </param>
public sealed record PortalDatabase(IMongoDatabase Database, string Address, bool SupportsChangeStreams)
{
    /// <summary>
    /// Whether the server that answered <c>hello</c> serves change streams: a replica set member names its set (<c>setName</c>),
    /// and a mongos says <c>msg: "isdbgrid"</c> (change streams on a sharded cluster are opened through mongos). A standalone
    /// server has neither and has no oplog to stream from.
    /// </summary>
    public static bool ServesChangeStreams(BsonDocument hello) => TargetTopologies.FromHello(hello).HasTransactions();
}
