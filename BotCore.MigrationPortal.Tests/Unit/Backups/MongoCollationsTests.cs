using BotCore.MigrationPortal.Backups.Mongo;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Tests.Unit.Backups;

public sealed class MongoCollationsTests
{
    [Fact]
    public void A_collation_as_listIndexes_reports_it_with_its_ICU_version_is_given_back_without_the_version()
    {
        var reported = BsonDocument.Parse("""
            { locale: "en", caseLevel: false, caseFirst: "off", strength: 2, numericOrdering: false, alternate: "non-ignorable",
              maxVariable: "punct", normalization: false, backwards: false, version: "57.1" }
            """);

        var collation = MongoCollations.From(reported);

        Assert.Equal("en", collation.Locale);
        Assert.False(collation.ToBsonDocument().Contains("version"));
        Assert.True(reported.Contains("version"), "the metadata read from the backup is left as it was");
    }
}
