using BotCore.MigrationPortal.Engine.Steps;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Tests.Unit;

/// <summary>Reading a collection's UUID from listCollections entries as MongoDB 7 writes them.</summary>
public sealed class MongoCollectionUuidTests
{
    [Fact]
    public void A_collection_s_uuid_is_read_from_its_info()
    {
        var uuid = Guid.NewGuid();
        var listed = new BsonDocument
        {
            { "name", "users" }, { "type", "collection" }, { "options", new BsonDocument() },
            { "info", new BsonDocument { { "readOnly", false }, { "uuid", new BsonBinaryData(uuid, GuidRepresentation.Standard) } } },
            { "idIndex", BsonDocument.Parse("{ v: 2, key: { _id: 1 }, name: '_id_' }") },
        };

        Assert.Equal(uuid, MongoCollectionUuid.Of(listed));
    }

    [Fact]
    public void A_time_series_view_entry_reports_no_uuid_of_its_own()
    {
        var view = BsonDocument.Parse("{ name: 'market_data', type: 'timeseries', options: { timeseries: { timeField: 'open_time' } }, info: { readOnly: false } }");

        Assert.Null(MongoCollectionUuid.Of(view));
    }
}
