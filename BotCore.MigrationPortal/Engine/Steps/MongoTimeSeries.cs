using BotCore.MigrationPortal.Engine.Catalog;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Engine.Steps;

/// <summary>A time-series definition as the driver's create options: a granularity, or the two bucket sizes of custom bucketing.</summary>
public static class MongoTimeSeries
{
    public static TimeSeriesOptions Options(TimeSeriesDefinition definition) => new(
        definition.TimeField,
        definition.MetaField,
        definition.Granularity is { } granularity ? Enum.Parse<TimeSeriesGranularity>(granularity, ignoreCase: true) : null,
        definition.BucketMaxSpanSeconds,
        definition.BucketRoundingSeconds);
}
