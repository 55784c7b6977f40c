namespace BotCore.MigrationPortal.Engine.Catalog;

public enum CollectionType
{
    Collection,
    TimeSeries,
}

public static class CollectionTypeNames
{
    /// <summary>The names <c>listCollections</c> uses in its <c>type</c> field.</summary>
    public static string ToMongoName(this CollectionType type) => type switch
    {
        CollectionType.TimeSeries => "timeseries",
        _ => "collection",
    };
}
