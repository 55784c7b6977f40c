using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Backups.Mongo;

namespace BotCore.MigrationPortal.Doctor.Lines;

/// <summary>
/// Standalone, replica set or sharded cluster, and so whether change streams and transactions are there: change streams need
/// an oplog (a replica set, or a sharded cluster through mongos); transactions need a replica set (4.0+) or a sharded
/// cluster (4.2+). A standalone server has neither.
/// </summary>
public static class TopologyLine
{
    public const string Id = "topology";
    public const string Title = "Topology";

    public static DoctorLine Evaluate(TargetTopology topology, string? setName, MongoServerVersion version) => topology switch
    {
        TargetTopology.ReplicaSet => DoctorLine.Pass(Id, Title,
            $"replica set {setName}: change streams available, transactions {(version.Major >= 4 ? "available" : "not available (before 4.0)")}"),
        TargetTopology.Sharded => DoctorLine.Pass(Id, Title,
            $"sharded cluster (mongos): change streams available, transactions {(version.Major > 4 || (version.Major == 4 && version.Minor >= 2) ? "available" : "not available (before 4.2)")}"),
        _ => DoctorLine.Warn(Id, Title,
            "standalone server: no change streams and no transactions (a data step's batch and its checkpoint are written one after the other)",
            "Run the target as a replica set, even of one member (mongod --replSet rs0, then rs.initiate()), as docker-compose does."),
    };
}
