using BotCore.MigrationPortal.Engine.Leases;
using BotCore.MigrationPortal.Targets.Leases;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Tests.Unit;

/// <summary>
/// The commands of the MongoDB lease, rendered as the driver sends them: every time is the server's <c>$$NOW</c>, none a portal's.
/// No server runs here; what the server does with them is in the integration tests.
/// </summary>
public sealed class MongoLeaseCommandsTests
{
    private static readonly RenderArgs<LeaseRecord> Args = new(BsonSerializer.SerializerRegistry.GetSerializer<LeaseRecord>(), BsonSerializer.SerializerRegistry);

    [Fact]
    public void Acquiring_matches_the_lease_only_when_it_is_ours_or_expired_by_the_server_s_clock()
    {
        Assert.Equal(BsonDocument.Parse("""
            { _id: "schema", $or: [ { holder_id: "host-a/42/run-1" }, { $expr: { $lte: ["$expires_at", "$$NOW"] } } ] }
            """), MongoLeaseCommands.Takeable("host-a/42/run-1").Render(Args));
    }

    [Fact]
    public void Acquiring_sets_both_times_from_the_server_s_clock_and_the_holder_as_literals()
    {
        var holder = new LeaseHolder("run-1", "$alice") { Host = "host-a", ProcessId = 42 };

        Assert.Equal(BsonArray.Create(new[] { BsonDocument.Parse("""
            { $set: {
                holder_id: { $literal: "host-a/42/run-1" }, run_id: { $literal: "run-1" }, user: { $literal: "$alice" }, host: { $literal: "host-a" },
                acquired_at: "$$NOW", expires_at: { $add: ["$$NOW", { $numberLong: "60000" }] } } }
            """) }), MongoLeaseCommands.Acquire(holder, TimeSpan.FromSeconds(60)).Render(Args));
    }

    [Fact]
    public void Renewing_extends_the_holder_s_own_lease_from_the_server_s_now()
    {
        Assert.Equal(BsonDocument.Parse("""{ _id: "schema", holder_id: "host-a/42/run-1" }"""), MongoLeaseCommands.HeldBy("host-a/42/run-1").Render(Args));
        Assert.Equal(BsonArray.Create(new[] { BsonDocument.Parse("""{ $set: { expires_at: { $add: ["$$NOW", { $numberLong: "15000" }] } } }""") }),
            MongoLeaseCommands.Renew(TimeSpan.FromSeconds(15)).Render(Args));
    }
}
