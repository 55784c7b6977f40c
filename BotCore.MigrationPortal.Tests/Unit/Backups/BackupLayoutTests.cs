using System.IO.Compression;
using System.Text;
using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Backups.Layout;
using BotCore.MigrationPortal.Engine.Catalog;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Tests.Unit.Backups;

/// <summary>mongodump's layout written and read back on in-memory streams: data files, metadata files, names and hashes.</summary>
public sealed class BackupLayoutTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    internal static IReadOnlyList<BsonDocument> Users(int count) => Enumerable.Range(1, count)
        .Select(i => new BsonDocument
        {
            { "_id", new ObjectId($"65f0000000000000000{i:x5}") },
            { "email", $"user{i}@example.com" },
            { "balance", new Decimal128(i * 10.5m) },
            { "created_at", new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(i) },
            { "tags", new BsonArray { "a", i } },
        })
        .ToList();

    internal static async Task<(byte[] File, DataSummary Written)> WriteAsync(IEnumerable<BsonDocument> documents)
    {
        using var stream = new MemoryStream();
        DataSummary written;
        await using (var writer = new CollectionDataWriter(stream))
        {
            foreach (var document in documents) await writer.WriteAsync(document.ToBson(), Token);
            written = await writer.CompleteAsync();
        }
        return (stream.ToArray(), written);
    }

    [Fact]
    public async Task Documents_written_read_back_identical_with_the_same_count_and_hash()
    {
        var users = Users(250);

        var (file, written) = await WriteAsync(users);
        var read = new List<BsonDocument>();
        await foreach (var bytes in new CollectionDataReader(new MemoryStream(file), "users.bson.gz").ReadAsync(Token)) read.Add(new RawBsonDocument(bytes).ToBsonDocument());
        var summary = await new CollectionDataReader(new MemoryStream(file), "users.bson.gz").SummarizeAsync(Token);

        Assert.Equal(users, read);
        Assert.Equal(250, written.Documents);
        Assert.Equal(written, summary);
        Assert.Equal(users.Sum(u => (long)u.ToBson().Length), written.Bytes);
        Assert.Matches("^[0-9a-f]{64}$", written.ContentHash);
    }

    [Fact]
    public async Task The_data_file_is_plain_gzip_of_the_documents_bson_one_after_another_as_mongodump_writes_it()
    {
        var users = Users(3);

        var (file, _) = await WriteAsync(users);
        using var unzipped = new MemoryStream();
        await new GZipStream(new MemoryStream(file), CompressionMode.Decompress).CopyToAsync(unzipped, Token);

        Assert.Equal(users.SelectMany(u => u.ToBson()).ToArray(), unzipped.ToArray());
    }

    [Fact]
    public async Task A_collection_without_documents_is_an_empty_gzip_file_with_the_hash_of_nothing()
    {
        var (file, written) = await WriteAsync([]);

        Assert.Equal(DataSummary.Nothing, written);
        Assert.Equal(20, file.Length);
        using var unzipped = new MemoryStream();
        await new GZipStream(new MemoryStream(file), CompressionMode.Decompress).CopyToAsync(unzipped, Token);
        Assert.Equal(0, unzipped.Length);
        Assert.Equal(written, await new CollectionDataReader(new MemoryStream(file), "empty.bson.gz").SummarizeAsync(Token));
    }

    [Fact]
    public async Task The_content_hash_changes_with_any_document_and_with_their_order()
    {
        var users = Users(10);
        var changed = users.Select(u => u.DeepClone().AsBsonDocument).ToList();
        changed[4]["email"] = "changed@example.com";
        var reordered = users.Select(u => new BsonDocument(u.Elements.Reverse())).ToList();

        var original = (await WriteAsync(users)).Written.ContentHash;

        Assert.NotEqual(original, (await WriteAsync(changed)).Written.ContentHash);
        Assert.NotEqual(original, (await WriteAsync(users.AsEnumerable().Reverse())).Written.ContentHash);
        // The documents as stored: the same fields in another order are other bytes (buckets and documents come back byte for byte).
        Assert.NotEqual(original, (await WriteAsync(reordered)).Written.ContentHash);
        Assert.Equal(original, (await WriteAsync(users.Select(u => u.DeepClone().AsBsonDocument))).Written.ContentHash);
    }

    [Fact]
    public async Task Documents_with_an_empty_timestamp_at_the_top_level_are_counted_nested_ones_are_not()
    {
        var documents = new[]
        {
            new BsonDocument { { "_id", 1 }, { "at", new BsonTimestamp(0) } },
            new BsonDocument { { "_id", 2 }, { "at", new BsonTimestamp(1_700_000_000, 1) } },
            new BsonDocument { { "_id", 3 }, { "nested", new BsonDocument("at", new BsonTimestamp(0)) } },
            new BsonDocument { { "_id", 4 }, { "bytes", new BsonBinaryData([0x11, 0, 0, 0, 0, 0, 0, 0, 0, 0]) } },
        };

        var (file, written) = await WriteAsync(documents);

        Assert.Equal(1, written.WithEmptyTimestamps);
        Assert.Equal(written, await new CollectionDataReader(new MemoryStream(file), "events.bson.gz").SummarizeAsync(Token));
    }

    [Fact]
    public async Task Metadata_is_canonical_extended_json_in_mongodumps_shape_and_reads_back()
    {
        var metadata = new CollectionMetadata("trades", CollectionMetadata.CollectionType,
            new BsonDocument("validator", new BsonDocument("$jsonSchema", new BsonDocument("bsonType", "object"))),
            [CollectionMetadata.IdIndex(), new BsonDocument { { "v", 2 }, { "key", new BsonDocument { { "user_id", 1 }, { "created_at", -1 } } }, { "name", "idx_trades_user_created" } }],
            "0123456789abcdef0123456789abcdef");

        using var stream = new MemoryStream();
        await CollectionMetadataFile.WriteAsync(stream, metadata, Token);
        using var unzipped = new MemoryStream();
        await new GZipStream(new MemoryStream(stream.ToArray()), CompressionMode.Decompress).CopyToAsync(unzipped, Token);
        // The driver writes a space around each colon; mongodump does not; JSON readers do not mind.
        var json = Encoding.UTF8.GetString(unzipped.ToArray()).Replace(" ", "");
        var read = await CollectionMetadataFile.ReadAsync(new MemoryStream(stream.ToArray()), "trades.metadata.json.gz", Token);

        Assert.StartsWith("{\"options\":{\"validator\"", json);
        Assert.Contains("\"indexes\":[{\"v\":{\"$numberInt\":\"2\"},\"key\":{\"_id\":{\"$numberInt\":\"1\"}},\"name\":\"_id_\"}", json);
        Assert.EndsWith("\"uuid\":\"0123456789abcdef0123456789abcdef\",\"collectionName\":\"trades\",\"type\":\"collection\"}", json);
        Assert.Equal((metadata.CollectionName, metadata.Type, metadata.Options, metadata.Uuid), (read.CollectionName, read.Type, read.Options, read.Uuid));
        Assert.Equal(metadata.Indexes, read.Indexes);
    }

    [Fact]
    public void A_catalog_collection_goes_into_metadata_and_comes_back_unchanged()
    {
        var collection = new CollectionDefinition("market_data", CollectionType.TimeSeries,
                new CollectionOptions(null, timeSeries: new TimeSeriesDefinition("open_time", "symbol", "minutes"), expireAfterSeconds: 7776000))
            .WithIndex(new IndexDefinition("idx_symbol_time", new BsonDocument { { "symbol", 1 }, { "open_time", -1 } }, unique: true,
                partialFilterExpression: new BsonDocument("symbol", new BsonDocument("$exists", true))));

        var metadata = CatalogMetadata.From(collection);

        Assert.Equal("timeseries", metadata.Type);
        // A time series has no _id index: mongorestore would make one an idIndex option, which the server refuses with timeseries.
        Assert.Equal(["idx_symbol_time"], metadata.Indexes.Select(index => index["name"].AsString));
        Assert.Equal("system.buckets.market_data", metadata.DataCollection);
        Assert.Equal(collection, CatalogMetadata.ToDefinition(metadata, "market_data.metadata.json.gz"));
    }

    [Fact]
    public void A_plain_catalog_collection_lists_the_id_index_first_as_mongodump_does()
    {
        var metadata = CatalogMetadata.From(CollectionDefinition.Plain("users"));

        Assert.Equal(["_id_"], metadata.Indexes.Select(index => index["name"].AsString));
        Assert.Equal("users", metadata.DataCollection);
    }
}
