using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Hosting;
using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Tests.Unit.Audit;

/// <summary>
/// The MongoDB queries the audit filters become, as MongoDB receives them (the contract tests run them against a server when one
/// is available): a case-insensitive $regex on the user with the text escaped, $in for the actions, equality for target and run.
/// </summary>
public sealed class MongoAuditQueryTests
{
    [Fact]
    public void Every_filter_becomes_one_clause_of_the_query()
    {
        var query = Render(new AuditFilter
        {
            User = "ann.e", Actions = [AuditActions.SignIn, AuditActions.Approved], Target = "prod", RunId = "run-1",
            From = new DateOnly(2026, 11, 24), To = new DateOnly(2026, 11, 24),
        });

        Assert.Equal(
            """{ "user" : /ann\.e/i, "action" : { "$in" : ["approved", "sign-in"] }, "target" : "prod", "runId" : "run-1", "time" : { "$gte" : ISODate("2026-11-24T00:00:00Z"), "$lt" : ISODate("2026-11-25T00:00:00Z") } }""",
            query.ToJson(new JsonWriterSettings { OutputMode = JsonOutputMode.Shell }));
        Assert.Equal(new BsonRegularExpression(@"ann\.e", "i"), query["user"]);
    }

    [Fact]
    public void No_filter_is_the_empty_query() => Assert.Equal(new BsonDocument(), Render(AuditFilter.None));

    [Theory]
    [InlineData("a.b", @"a\.b")]
    [InlineData(@"\d", @"\\d")]
    [InlineData("^x$|(y)[z]{2}*+?", @"\^x\$\|\(y\)\[z\]\{2\}\*\+\?")]
    [InlineData("a-b #c/d", @"a\-b \#c\/d")]
    [InlineData("Zoë 1", "Zoë 1")]
    public void A_literal_pattern_escapes_every_regular_expression_character_and_nothing_else(string text, string pattern) =>
        Assert.Equal(pattern, MongoLiteralPattern.Of(text));

    private static BsonDocument Render(AuditFilter filter)
    {
        PortalBson.Register();
        var registry = BsonSerializer.SerializerRegistry;
        return MongoAuditStore.ToMongo(filter).Render(new RenderArgs<AuditEntry>(registry.GetSerializer<AuditEntry>(), registry));
    }
}
