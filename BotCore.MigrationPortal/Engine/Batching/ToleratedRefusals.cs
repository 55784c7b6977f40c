using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Engine.Batching;

/// <summary>
/// Server errors on single writes that leave that one document as it is instead of stopping a batched pass, and how a pass names the
/// document a refused write was for.
/// </summary>
/// <param name="Codes">The tolerated error codes.</param>
/// <param name="Reason">Why such documents are left, in words for the DBA (e.g. "the validator of trades refuses them").</param>
/// <param name="DocumentAt">The <c>_id</c> of the document the batch's write at an index (<see cref="BulkWriteError.Index"/>) was for.</param>
public sealed record ToleratedRefusals(IReadOnlySet<int> Codes, string Reason, Func<IReadOnlyList<BsonDocument>, int, BsonValue> DocumentAt)
{
    /// <summary>ErrorCodes::DocumentValidationFailure (src/mongo/base/error_codes.yml): the collection's validator refuses the document the write would leave.</summary>
    public const int DocumentValidationFailure = 121;

    /// <summary>
    /// Whether the bulk write failed only on tolerated single writes: no write concern error (the writes made may not be durable) and
    /// at least one write error, each with a tolerated code.
    /// </summary>
    public bool TolerateAll<T>(MongoBulkWriteException<T> e) =>
        e.WriteConcernError is null && e.WriteErrors.Count > 0 && e.WriteErrors.All(w => Codes.Contains(w.Code));
}
