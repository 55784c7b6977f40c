using BotCore.MigrationPortal.Engine.Catalog;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Checks.Mongo;

/// <summary>What MongoDB's <c>validate</c> said about one collection.</summary>
/// <param name="Records">The nrecords it reports, when it does.</param>
public sealed record ValidateReport(string Collection, bool Valid, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings, long? Records)
{
    public override string ToString() =>
        (Valid ? $"{Collection}: valid" : $"{Collection}: NOT valid: {string.Join("; ", Errors)}")
        + (Records is { } records ? $" ({records:N0} records)" : "")
        + (Warnings.Count > 0 ? $"; warnings: {string.Join("; ", Warnings)}" : "");

    /// <summary>Reads the reply's <c>valid</c>, <c>errors</c> and <c>warnings</c>.</summary>
    public static ValidateReport FromReply(string collection, BsonDocument reply) => new(
        collection,
        reply.GetValue("valid", false).ToBoolean(),
        Strings(reply, "errors"),
        Strings(reply, "warnings"),
        reply.GetValue("nrecords", BsonNull.Value) is { IsNumeric: true } records ? records.ToInt64() : null);

    /// <summary>
    /// Runs the spec's post-migration <c>validate</c> in the background (MongoDB 4.4+ with WiredTiger): the foreground form
    /// takes an exclusive lock that blocks the application's reads and writes on the collection while it scans.
    /// </summary>
    public static async Task<ValidateReport> RunAsync(IMongoDatabase database, string collection, CancellationToken cancellationToken) =>
        // The driver has no typed validate; {validate: <name>, background: true} is the documented command shape.
        FromReply(collection, await database.RunCommandAsync<BsonDocument>(new BsonDocument { { "validate", collection }, { "background", true } },
            cancellationToken: cancellationToken));

    private static IReadOnlyList<string> Strings(BsonDocument reply, string field) =>
        reply.GetValue(field, BsonNull.Value) is BsonArray values
            ? values.Select(value => value.IsString ? value.AsString : CatalogJson.Inline(value)).ToList()
            : [];
}
