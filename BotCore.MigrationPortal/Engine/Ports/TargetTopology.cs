using MongoDB.Bson;

namespace BotCore.MigrationPortal.Engine.Ports;

/// <summary>What kind of MongoDB deployment a target is; it decides whether transactions (and change streams) are available.</summary>
public enum TargetTopology
{
    /// <summary>A single mongod without a replica set: no oplog, so no transactions and no change streams.</summary>
    Standalone,

    /// <summary>A replica set member (a single-node set such as docker-compose's <c>rs0</c> included).</summary>
    ReplicaSet,

    /// <summary>A mongos in front of a sharded cluster.</summary>
    Sharded,
}

public static class TargetTopologies
{
    /// <summary>
    /// Reads the topology from a <c>hello</c> reply: a replica set member names its set (<c>setName</c>), a mongos says
    /// <c>msg: "isdbgrid"</c>, a standalone server has neither (manual, "hello": the <c>setName</c> and <c>msg</c> fields).
    /// </summary>
    public static TargetTopology FromHello(BsonDocument hello) =>
        hello.GetValue("msg", BsonNull.Value) == "isdbgrid" ? TargetTopology.Sharded
        : hello.Contains("setName") ? TargetTopology.ReplicaSet
        : TargetTopology.Standalone;

    /// <summary>Multi-document transactions and change streams need an oplog: a replica set or a sharded cluster.</summary>
    public static bool HasTransactions(this TargetTopology topology) => topology != TargetTopology.Standalone;
}
