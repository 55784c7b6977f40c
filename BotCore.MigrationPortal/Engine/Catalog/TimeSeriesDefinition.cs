using MongoDB.Bson;

namespace BotCore.MigrationPortal.Engine.Catalog;

/// <summary>
/// The time-series options that define a collection: a granularity ("seconds", "minutes", "hours"), or custom bucketing
/// (MongoDB 6.3+: <c>bucketMaxSpanSeconds</c> and <c>bucketRoundingSeconds</c>, no granularity). With a granularity the server
/// derives the bucket span and reports it too; that derived span is not part of the definition.
/// </summary>
public sealed record TimeSeriesDefinition(string TimeField, string? MetaField, string? Granularity, int? BucketMaxSpanSeconds = null, int? BucketRoundingSeconds = null)
{
    public bool IsCustomBucketing => Granularity is null;

    /// <summary>The <c>timeseries</c> option as <c>listCollections</c> (or a mongodump metadata file) reports it.</summary>
    public static TimeSeriesDefinition From(BsonDocument timeseries)
    {
        var metaField = timeseries.GetValue("metaField", BsonNull.Value) is { IsString: true } meta ? meta.AsString : null;
        return timeseries.GetValue("granularity", BsonNull.Value) is { IsString: true } granularity
            ? new TimeSeriesDefinition(timeseries["timeField"].AsString, metaField, granularity.AsString)
            : new TimeSeriesDefinition(timeseries["timeField"].AsString, metaField, null, Seconds(timeseries, "bucketMaxSpanSeconds"),
                Seconds(timeseries, "bucketRoundingSeconds"));
    }

    public BsonDocument ToBson()
    {
        var document = new BsonDocument("timeField", TimeField);
        if (MetaField is not null) document["metaField"] = MetaField;
        if (Granularity is not null) document["granularity"] = Granularity;
        if (BucketMaxSpanSeconds is { } span) document["bucketMaxSpanSeconds"] = span;
        if (BucketRoundingSeconds is { } rounding) document["bucketRoundingSeconds"] = rounding;
        return document;
    }

    private static int? Seconds(BsonDocument timeseries, string field) =>
        timeseries.GetValue(field, BsonNull.Value) is { IsNumeric: true } seconds ? seconds.ToInt32() : null;
}
