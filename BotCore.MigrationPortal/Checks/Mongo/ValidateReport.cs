using BotCore.MigrationPortal.Engine.Catalog;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Checks.Mongo;

/// <summary>What MongoDB's <c>validate</c> said about one collection.</summary>
public enum ValidateVerdict
{
    Valid,
    Invalid,

    /// <summary>The server did not check the collection through (no record count in the reply, or validate was stopped): never "valid".</summary>
    NotValidated,
}

/// <summary>What MongoDB's <c>validate</c> said about one collection.</summary>
/// <param name="Records">The nrecords it reports: the proof that the data was read.</param>
/// <param name="Reason">Why the collection is not validated, when it is not.</param>
public sealed record ValidateReport(string Collection, ValidateVerdict Verdict, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings, long? Records,
    string? Reason = null)
{
    /// <summary>
    /// How long validate may run on one collection. Foreground validate holds an exclusive lock on the collection while it reads
    /// it (the application waits), and it checks for interruption every 4,096 records or 50 MB (mongo's validate_adaptor.cpp), so
    /// maxTimeMS bounds that wait. A bigger collection is reported as not validated, to be validated on a secondary or in a
    /// maintenance window (README, "Integrity checks"). mongo's jstests/noPassthroughWithMongod/validate_interrupt.js shows validate
    /// stopped by maxTimeMS.
    /// </summary>
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(10);

    public bool Valid => Verdict == ValidateVerdict.Valid;

    public override string ToString() => Verdict switch
    {
        ValidateVerdict.Valid => $"{Collection}: valid ({Records:N0} records)",
        ValidateVerdict.Invalid => $"{Collection}: NOT valid: {string.Join("; ", Errors)}" + (Records is { } records ? $" ({records:N0} records)" : ""),
        _ => $"{Collection}: not validated: {Reason}",
    } + (Warnings.Count > 0 ? $"; warnings: {string.Join("; ", Warnings)}" : "");

    /// <summary>
    /// Reads the reply's <c>valid</c>, <c>errors</c>, <c>warnings</c> and <c>nrecords</c>. Valid needs both <c>valid: true</c> and a record
    /// count: a reply that does not say how many records it read has not shown that it read any.
    /// </summary>
    /// <remarks>
    /// Through mongos, a <em>sharded</em> collection's reply is only <c>{valid, raw: {&lt;shard&gt;: &lt;that shard's reply&gt;}}</c>: no
    /// top-level <c>nrecords</c>, <c>errors</c> or <c>warnings</c> (mongo's src/mongo/s/commands/cluster_validate_cmd.cpp, which passes
    /// the shard's reply through, plus <c>raw</c>, only for an unsharded collection). Such a reply is read shard by shard: the records
    /// are summed, errors and warnings are kept with their shard's name, and the collection is valid only if every shard says
    /// <c>valid: true</c> and gives its record count.
    /// </remarks>
    public static ValidateReport FromReply(string collection, BsonDocument reply)
    {
        if (!reply.Contains("nrecords") && reply.GetValue("raw", BsonNull.Value) is BsonDocument { ElementCount: > 0 } shards)
        {
            return FromShards(collection, reply, shards);
        }
        var records = RecordCount(reply);
        var valid = SaysValid(reply);
        var errors = Strings(reply, "errors");
        var warnings = Strings(reply, "warnings");
        return valid switch
        {
            false => new(collection, ValidateVerdict.Invalid, errors, warnings, records),
            true when records is not null => new(collection, ValidateVerdict.Valid, errors, warnings, records),
            _ => new(collection, ValidateVerdict.NotValidated, errors, warnings, records,
                valid is null ? "the reply does not say whether the collection is valid" : "the reply does not say how many records were read"),
        };
    }

    /// <summary>A sharded collection's reply through mongos: one reply per shard under <c>raw</c>.</summary>
    private static ValidateReport FromShards(string collection, BsonDocument reply, BsonDocument shards)
    {
        var errors = new List<string>();
        var warnings = new List<string>();
        var notValid = false;
        var unknown = new List<string>();
        var uncounted = new List<string>();
        long total = 0;
        foreach (var shard in shards)
        {
            if (shard.Value is not BsonDocument shardReply)
            {
                unknown.Add(shard.Name);
                continue;
            }
            // mongos puts {error: "..."} in place of the reply of a shard that did not answer.
            if (shardReply.GetValue("error", BsonNull.Value) is { IsString: true } failure) errors.Add($"{shard.Name}: {failure.AsString}");
            errors.AddRange(Strings(shardReply, "errors").Select(error => $"{shard.Name}: {error}"));
            warnings.AddRange(Strings(shardReply, "warnings").Select(warning => $"{shard.Name}: {warning}"));
            switch (SaysValid(shardReply))
            {
                case false:
                    notValid = true;
                    break;
                case null:
                    unknown.Add(shard.Name);
                    break;
            }
            if (RecordCount(shardReply) is { } records) total += records;
            else uncounted.Add(shard.Name);
        }
        long? sum = uncounted.Count == 0 ? total : null;
        if (notValid || SaysValid(reply) == false) return new(collection, ValidateVerdict.Invalid, errors, warnings, sum);
        if (unknown.Count > 0)
        {
            return new(collection, ValidateVerdict.NotValidated, errors, warnings, sum,
                $"the reply of shard {string.Join(", ", unknown)} does not say whether the collection is valid");
        }
        if (uncounted.Count > 0)
        {
            return new(collection, ValidateVerdict.NotValidated, errors, warnings, sum,
                $"the reply of shard {string.Join(", ", uncounted)} does not say how many records were read");
        }
        return new(collection, ValidateVerdict.Valid, errors, warnings, sum);
    }

    private static long? RecordCount(BsonDocument reply) =>
        reply.GetValue("nrecords", BsonNull.Value) is { IsNumeric: true } n ? n.ToInt64() : null;

    private static bool? SaysValid(BsonDocument reply) =>
        reply.GetValue("valid", BsonNull.Value) is { IsBoolean: true } v ? v.AsBoolean : null;

    /// <summary>
    /// The spec's post-migration <c>validate</c>, in the documented foreground form: <c>{validate: name, maxTimeMS}</c>. The
    /// <c>background</c> option is no longer documented; newer servers refuse it on a standalone and read the last checkpoint
    /// with it, so a collection created a minute ago would be missing or "valid" unchecked.
    /// </summary>
    public static async Task<ValidateReport> RunAsync(IMongoDatabase database, string collection, CancellationToken cancellationToken)
    {
        // The driver has no typed validate.
        var command = new BsonDocument { { "validate", collection }, { "maxTimeMS", (long)TimeLimit.TotalMilliseconds } };
        try
        {
            return FromReply(collection, await database.RunCommandAsync<BsonDocument>(command, cancellationToken: cancellationToken));
        }
        // The driver maps MaxTimeMSExpired (code 50) to this exception (its Core/Misc/ExceptionMapper.cs), not to MongoCommandException.
        catch (MongoExecutionTimeoutException)
        {
            return new ValidateReport(collection, ValidateVerdict.NotValidated, [], [], null,
                $"validate was stopped after {TimeLimit.TotalSeconds:N0} s, so that the application does not wait longer on its lock; " +
                "validate this collection on a secondary or in a maintenance window");
        }
    }

    private static IReadOnlyList<string> Strings(BsonDocument reply, string field) =>
        reply.GetValue(field, BsonNull.Value) is BsonArray values
            ? values.Select(value => value.IsString ? value.AsString : CatalogJson.Inline(value)).ToList()
            : [];
}
