namespace BotCore.MigrationPortal.Engine.Catalog;

/// <summary>The time-series options that define a collection (MongoDB adds derived bucket sizes, which we ignore).</summary>
public sealed record TimeSeriesDefinition(string TimeField, string? MetaField, string Granularity);
