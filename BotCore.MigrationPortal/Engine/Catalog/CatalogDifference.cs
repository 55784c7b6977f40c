using MongoDB.Bson;

namespace BotCore.MigrationPortal.Engine.Catalog;

public enum DifferenceKind
{
    MissingCollection,
    UnexpectedCollection,
    CollectionDiffers,
    MissingIndex,
    UnexpectedIndex,
    IndexDiffers,
    VersionDiffers,
}

/// <summary>
/// One way in which an actual catalog differs from an expected one. The same difference reads as drift
/// ("missing index …") when the actual catalog is a live database, and as a change ("creates index …")
/// when it is the catalog before a step and the expected one is the catalog after it.
/// </summary>
/// <param name="Collection">The collection concerned; null for the schema version.</param>
/// <param name="Index">The index concerned, for index differences.</param>
public sealed record CatalogDifference(DifferenceKind Kind, string? Collection, string? Index, BsonValue? Expected, BsonValue? Actual)
{
    public string Subject => Index is not null ? $"{Collection}.{Index}" : Collection ?? "schema version";

    public string DescribeAsDrift() => Kind switch
    {
        DifferenceKind.MissingCollection => $"collection {Subject} is missing (expected {Render(Expected)})",
        DifferenceKind.UnexpectedCollection => $"collection {Subject} exists but is not expected",
        DifferenceKind.CollectionDiffers => $"collection {Subject} has other options: expected {Render(Expected)}, found {Render(Actual)}",
        DifferenceKind.MissingIndex => $"index {Subject} is missing (expected {Render(Expected)})",
        DifferenceKind.UnexpectedIndex => $"index {Subject} exists but is not expected ({Render(Actual)})",
        DifferenceKind.IndexDiffers => $"index {Subject} differs: expected {Render(Expected)}, found {Render(Actual)}",
        DifferenceKind.VersionDiffers => $"schema version is {Render(Actual)}, expected {Render(Expected)}",
        _ => throw new InvalidOperationException($"Unknown difference kind {Kind}."),
    };

    public string DescribeAsChange() => Kind switch
    {
        DifferenceKind.MissingCollection => $"creates collection {Subject} {Render(Expected)}",
        DifferenceKind.UnexpectedCollection => $"drops collection {Subject}",
        DifferenceKind.CollectionDiffers => $"changes collection {Subject} options to {Render(Expected)}",
        DifferenceKind.MissingIndex => $"creates index {Subject} {Render(Expected)}",
        DifferenceKind.UnexpectedIndex => $"drops index {Subject}",
        DifferenceKind.IndexDiffers => $"changes index {Subject} to {Render(Expected)}",
        DifferenceKind.VersionDiffers => $"sets schema version to {Render(Expected)}",
        _ => throw new InvalidOperationException($"Unknown difference kind {Kind}."),
    };

    private static string Render(BsonValue? value) => value is null ? "nothing" : CatalogJson.Inline(value);
}
