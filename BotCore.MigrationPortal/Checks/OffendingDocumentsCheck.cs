using BotCore.MigrationPortal.Checks.Mongo;
using BotCore.MigrationPortal.Text;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Checks;

/// <summary>
/// A check that counts the documents of one collection matching a filter that describes a problem, shows a few of them,
/// and passes when there are none. A collection that does not exist yet has nothing to check.
/// </summary>
/// <param name="offence">What the matching documents do wrong, in the plural after "documents of &lt;collection&gt;", e.g. "have quantity &lt;= 0".</param>
/// <param name="offenceOfOne">The same after "1 document of &lt;collection&gt;", e.g. "has quantity &lt;= 0".</param>
internal abstract class OffendingDocumentsCheck(string collection, string offence, string offenceOfOne) : DatabaseCheck
{
    protected abstract FilterDefinition<BsonDocument> Offending { get; }

    /// <summary>The fields shown for each offending document besides its _id.</summary>
    protected virtual IReadOnlyList<string> Shown => [];

    protected override async Task<CheckFinding> RunAsync(IMongoDatabase database, CheckContext context, CancellationToken cancellationToken)
    {
        if (!context.Exists(collection)) return CheckFinding.NothingToCheck(collection);
        var found = await MatchedDocuments.FindAsync(database.GetCollection<BsonDocument>(collection), Offending,
            MatchedDocuments.Fields(["_id", .. Shown]), cancellationToken);
        return found.Count == 0
            ? CheckFinding.Pass($"no documents of {collection} {offence}")
            : CheckFinding.Fail($"{Counted.Of(found.Count, "document")} of {collection} {Counted.Pick(found.Count, offenceOfOne, offence)}", found.Evidence());
    }
}
