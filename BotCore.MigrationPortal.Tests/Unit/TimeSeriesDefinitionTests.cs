using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Steps;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Tests.Unit;

/// <summary>Time-series options as listCollections reports them, read into the catalog and given back to the server.</summary>
public sealed class TimeSeriesDefinitionTests
{
    [Fact]
    public void A_granularity_is_the_definition_and_the_span_the_server_derives_from_it_is_left_out()
    {
        // MongoDB 7 reports the span it derived from "minutes" beside the granularity.
        var definition = TimeSeriesDefinition.From(BsonDocument.Parse("{ timeField: 'open_time', metaField: 'symbol', granularity: 'minutes', bucketMaxSpanSeconds: 86400 }"));

        Assert.Equal(new TimeSeriesDefinition("open_time", "symbol", "minutes"), definition);
        Assert.False(definition.IsCustomBucketing);
        Assert.Equal(BsonDocument.Parse("{ timeField: 'open_time', metaField: 'symbol', granularity: 'minutes' }"), definition.ToBson());
    }

    [Fact]
    public void Custom_bucketing_is_read_as_its_two_sizes_without_a_pseudo_granularity()
    {
        var listed = BsonDocument.Parse("{ timeField: 't', bucketRoundingSeconds: 3600, bucketMaxSpanSeconds: 3600 }");

        var definition = TimeSeriesDefinition.From(listed);

        Assert.Equal(new TimeSeriesDefinition("t", null, null, 3600, 3600), definition);
        Assert.True(definition.IsCustomBucketing);
        Assert.Equal(BsonDocument.Parse("{ timeField: 't', bucketMaxSpanSeconds: 3600, bucketRoundingSeconds: 3600 }"), definition.ToBson());
    }

    [Fact]
    public void The_create_options_carry_the_granularity_or_the_two_sizes_as_the_create_command_takes_them()
    {
        Assert.Equal(BsonDocument.Parse("{ timeField: 'open_time', metaField: 'symbol', granularity: 'minutes' }"),
            MongoTimeSeries.Options(new TimeSeriesDefinition("open_time", "symbol", "minutes")).ToBsonDocument());
        Assert.Equal(BsonDocument.Parse("{ timeField: 't', bucketMaxSpanSeconds: 7200, bucketRoundingSeconds: 7200 }"),
            MongoTimeSeries.Options(new TimeSeriesDefinition("t", null, null, 7200, 7200)).ToBsonDocument());
    }

    [Fact]
    public void A_collection_with_custom_bucketing_read_from_the_server_compares_equal_to_the_same_definition_and_recreates_with_it()
    {
        var live = CatalogJson.OptionsFrom(BsonDocument.Parse("{ timeseries: { timeField: 't', metaField: 'm', bucketRoundingSeconds: 60, bucketMaxSpanSeconds: 60 } }"));
        var step = new CreateCollectionStep(new CollectionDefinition("ticks", CollectionType.TimeSeries,
            new CollectionOptions(null, timeSeries: new TimeSeriesDefinition("t", "m", null, 60, 60))));

        Assert.Equal(step.Collection.Options, live);
        Assert.Equal(BsonDocument.Parse("{ timeseries: { timeField: 't', metaField: 'm', bucketMaxSpanSeconds: 60, bucketRoundingSeconds: 60 } }"),
            CatalogJson.ToBson(live));
    }
}
