using BotCore.MigrationPortal.Engine.Steps;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Tests.Unit.Steps;

/// <summary>
/// The decision for one document: blocked where a parent exists and is not an object ($set would fail there), otherwise the parents
/// to create. The documents are those of the issue: metadata missing, {}, {other: 1}, null, 5, and an array holding an object.
/// </summary>
public sealed class DocumentParentsTests
{
    private static readonly ParentPaths Metadata = ParentPaths.Of(["metadata.var_contribution", "metadata.correlation_score"]);
    private static readonly ParentPaths RiskLimits = ParentPaths.Of(["risk.limits.max", "risk.score"]);

    [Theory]
    [InlineData("{ _id: 1 }", false, new[] { "metadata" })]
    [InlineData("{ _id: 2, metadata: {} }", false, new string[0])]
    [InlineData("{ _id: 3, metadata: { other: 1 } }", false, new string[0])]
    [InlineData("{ _id: 4, metadata: null }", true, new string[0])]
    [InlineData("{ _id: 5, metadata: 5 }", true, new string[0])]
    [InlineData("{ _id: 6, metadata: [ { a: 1 } ] }", true, new string[0])]
    [InlineData("{ _id: 7, metadata: 'text' }", true, new string[0])]
    public void One_level(string document, bool blocked, string[] missing)
    {
        var decision = DocumentParents.Of(BsonDocument.Parse(document), Metadata);

        Assert.Equal(blocked, decision.Blocked);
        Assert.Equal(missing, decision.Missing);
    }

    [Theory]
    [InlineData("{ _id: 1 }", false, new[] { "risk", "risk.limits" })]
    [InlineData("{ _id: 2, risk: {} }", false, new[] { "risk.limits" })]
    [InlineData("{ _id: 3, risk: { limits: {} } }", false, new string[0])]
    [InlineData("{ _id: 4, risk: { limits: { max: 1 } } }", false, new string[0])]
    [InlineData("{ _id: 5, risk: { limits: 5 } }", true, new string[0])]
    [InlineData("{ _id: 6, risk: { limits: [ {} ] } }", true, new string[0])]
    [InlineData("{ _id: 7, risk: 5 }", true, new string[0])]
    [InlineData("{ _id: 8, risk: [ { limits: {} } ] }", true, new string[0])]
    public void Two_levels(string document, bool blocked, string[] missing)
    {
        var decision = DocumentParents.Of(BsonDocument.Parse(document), RiskLimits);

        Assert.Equal(blocked, decision.Blocked);
        Assert.Equal(missing, decision.Missing);
    }
}
