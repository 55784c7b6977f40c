using BotCore.MigrationPortal.Engine.Catalog;

namespace BotCore.MigrationPortal.Tests.Support;

/// <summary>
/// A rollback leaves the application's collections in place (EnsureCollectionStep): comparing a catalog after a down with
/// the one before the up is exact but for them.
/// </summary>
public static class ApplicationCollections
{
    /// <returns><paramref name="catalog"/> without the application's collections that <paramref name="reference"/> lacks.</returns>
    public static SchemaCatalog LeftBehindRemoved(this SchemaCatalog catalog, SchemaCatalog reference) =>
        catalog.Collections.Values
            .Where(c => c.Owner == CollectionOwner.Application && reference.Find(c.Name) is null)
            .Aggregate(catalog, (left, c) => left.Without(c.Name));
}
