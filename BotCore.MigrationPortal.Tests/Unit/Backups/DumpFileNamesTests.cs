using BotCore.MigrationPortal.Backups.Layout;

namespace BotCore.MigrationPortal.Tests.Unit.Backups;

/// <summary>
/// The names mongodump gives a collection's files (mongo-tools mongodump/prepare.go, <c>outputPath</c>): Go's url.QueryEscape, and
/// past 238 bytes the cut name with the base64url SHA-1 of the whole. The expected names are those mongo-tools' own tests expect.
/// </summary>
public sealed class DumpFileNamesTests
{
    private const string LongPrefix = "aVeryVeryVeryVeryVeryVeryVeryVeryVeryVeryVeryVeryVeryVery" +
        "VeryVeryVeryVeryVeryVeryVeryVeryVeryVeryVeryVeryVeryVeryVeryVeryVeryVery" +
        "VeryVeryVeryVeryVeryVeryVeryVeryVeryVeryVeryVeryVery";

    [Theory]
    [InlineData("users", "users")]
    [InlineData("coll/three", "coll%2Fthree")]
    [InlineData("a b+c", "a+b%2Bc")]
    [InlineData("keep-_.~these", "keep-_.~these")]
    [InlineData("$:*?\"<>|%", "%24%3A%2A%3F%22%3C%3E%7C%25")]
    [InlineData("prix€", "prix%E2%82%AC")]
    public void Names_are_escaped_as_Go_s_url_QueryEscape_escapes_them(string collection, string escaped)
    {
        Assert.Equal(escaped, DumpFileNames.Escape(collection));
    }

    [Fact]
    public void A_name_longer_than_238_bytes_once_escaped_is_cut_to_208_and_followed_by_the_hash_of_the_whole_name()
    {
        // mongo-tools mongodump/mongodump_test.go: longCollectionName and longBsonName.
        var name = LongPrefix + "/Long/Collection/Name/Consisting/Of/Many/Characters";

        Assert.Equal(LongPrefix + "%2FLong%2FCollection%2FName%24FUVlwTrb2eHN1RUE1swI1fFzWmA.bson.gz", DumpFileNames.Data(name, "collection"));
        Assert.Equal(LongPrefix + "%2FLong%2FCollection%2FName%24FUVlwTrb2eHN1RUE1swI1fFzWmA.metadata.json.gz", DumpFileNames.Metadata(name));
        Assert.Equal(238, DumpFileNames.Escape(name).Length);
    }

    [Fact]
    public void A_name_of_exactly_238_bytes_once_escaped_is_kept_whole()
    {
        var name = string.Concat(Enumerable.Repeat("abcdefghijklmnopq", 14));

        Assert.Equal(238, name.Length);
        Assert.Equal(name, DumpFileNames.Escape(name));
    }

    [Fact]
    public void A_time_series_data_file_is_named_after_its_buckets_collection_beside_the_collection_s_metadata()
    {
        Assert.Equal("system.buckets.market_data.bson.gz", DumpFileNames.Data("market_data", "timeseries"));
        Assert.Equal("market_data.metadata.json.gz", DumpFileNames.Metadata("market_data"));
        Assert.Equal("system.js.bson.gz", DumpFileNames.Data("system.js", "collection"));
    }
}
