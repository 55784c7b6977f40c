using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Targets;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Tests.Unit;

/// <summary>
/// The spec's DATABASE_SCHEMA_VERSION document as a run and an adoption write it, rendered as the driver sends it. No server runs
/// here; what the server makes of it (the upsert that puts the filter's key in a new document) is in the integration tests.
/// </summary>
public sealed class VersionDocumentWriteTests
{
    private static readonly DateTime At = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void The_version_who_and_when_are_set_and_a_new_document_gets_the_spec_s_other_fields_with_dates_as_BSON_dates()
    {
        var update = VersionDocumentWrite.SetVersion(SchemaVersion.Parse("1.2.0"), "olga", At)
            .Render(new RenderArgs<BsonDocument>(BsonDocumentSerializer.Instance, BsonSerializer.SerializerRegistry)).AsBsonDocument;

        Assert.Equal(BsonDocument.Parse("""
            {
              $set: { value: "1.2.0", updated_by: "olga", updated_at: ISODate("2026-03-01T12:00:00Z") },
              $setOnInsert: { category: "system", description: "Current database schema version", is_active: true, created_at: ISODate("2026-03-01T12:00:00Z") }
            }
            """), update);
        Assert.Equal(BsonType.DateTime, update["$set"]["updated_at"].BsonType);
        Assert.Equal(BsonType.DateTime, update["$setOnInsert"]["created_at"].BsonType);
    }
}
