using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Engine.Steps;

/// <summary>
/// The filters of the add- and remove-fields steps. Parent paths are tested with the aggregation <c>$type</c> inside <c>$expr</c>,
/// which names the type of the value itself ("array" for an array, "missing" for no value), where the query <c>$type: "object"</c>
/// also matches an array that holds an object. Values are compared with the aggregation <c>$eq</c> for the same reason: the query
/// equality also matches an array that holds the value.
/// </summary>
public static class FieldFilters
{
    private static readonly FilterDefinitionBuilder<BsonDocument> Filter = Builders<BsonDocument>.Filter;

    /// <summary><c>{ path: { $exists: false } }</c>; exact once the parents are known to be documents or missing.</summary>
    public static FilterDefinition<BsonDocument> Missing(string path) => Filter.Exists(path, false);

    /// <summary><c>{ $expr: { $eq: ["$path", { $literal: value }] } }</c>: the value itself, never an array that holds it.</summary>
    public static FilterDefinition<BsonDocument> HoldsExactly(string path, BsonValue value) =>
        Expr(new BsonDocument("$eq", new BsonArray { $"${path}", new BsonDocument("$literal", value) }));

    /// <summary>Where the path holds exactly <c>{}</c>: a parent with nothing left inside.</summary>
    public static FilterDefinition<BsonDocument> IsEmptyDocument(string path) => HoldsExactly(path, new BsonDocument());

    /// <summary>
    /// Where every parent is a document or missing, so that <c>$set</c> can reach or create each field: nothing to test when the
    /// fields are all top-level.
    /// </summary>
    public static FilterDefinition<BsonDocument> ParentsObjectsOrMissing(ParentPaths parents) =>
        parents.IsEmpty ? Filter.Empty : Expr(AllObjectsOrMissing(parents));

    /// <summary>Where a parent exists and is not a document (null, a scalar, an array): <c>$set</c> below it would fail.</summary>
    public static FilterDefinition<BsonDocument> ParentNotAnObject(ParentPaths parents) =>
        Expr(new BsonDocument("$not", new BsonArray { AllObjectsOrMissing(parents) }));

    /// <summary>Where a parent is missing: the documents whose parents the add-fields step creates.</summary>
    /// <exception cref="ArgumentException">There are no parents (an empty <c>$or</c> is refused by the server).</exception>
    public static FilterDefinition<BsonDocument> ParentMissing(ParentPaths parents) =>
        parents.IsEmpty
            ? throw new ArgumentException("The fields have no parent paths.", nameof(parents))
            : Filter.Or(parents.Paths.Select(Missing));

    /// <summary>
    /// <c>{ $and: [{ $in: [{ $type: "$p" }, ["missing", "object"]] }, …] }</c>. A deeper parent behind an array evaluates to an
    /// array of values, and behind a scalar to missing; either way its shallower parent already fails the test.
    /// </summary>
    private static BsonDocument AllObjectsOrMissing(ParentPaths parents) =>
        new("$and", new BsonArray(parents.Paths.Select(path =>
            new BsonDocument("$in", new BsonArray { new BsonDocument("$type", $"${path}"), new BsonArray { "missing", "object" } }))));

    private static FilterDefinition<BsonDocument> Expr(BsonDocument expression) =>
        new BsonDocumentFilterDefinition<BsonDocument>(new BsonDocument("$expr", expression));
}
