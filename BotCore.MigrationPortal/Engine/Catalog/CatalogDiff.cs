using MongoDB.Bson;

namespace BotCore.MigrationPortal.Engine.Catalog;

public static class CatalogDiff
{
    /// <summary>
    /// Every way <paramref name="actual"/> differs from <paramref name="expected"/>, collections in name order.
    /// Only collections for which <paramref name="inScope"/> holds are compared (all when it is null).
    /// </summary>
    public static IReadOnlyList<CatalogDifference> Between(SchemaCatalog expected, SchemaCatalog actual, Func<string, bool>? inScope = null)
    {
        var differences = new List<CatalogDifference>();
        if (expected.Version != actual.Version)
        {
            differences.Add(new CatalogDifference(DifferenceKind.VersionDiffers, null, null,
                expected.Version.ToString(), actual.Version.ToString()));
        }

        var names = expected.Collections.Keys.Union(actual.Collections.Keys)
            .Where(name => inScope is null || inScope(name))
            .Order(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var want = expected.Find(name);
            var have = actual.Find(name);
            if (want is null)
            {
                differences.Add(new CatalogDifference(DifferenceKind.UnexpectedCollection, name, null, null, CatalogJson.ToBson(have!)));
            }
            else if (have is null)
            {
                differences.Add(new CatalogDifference(DifferenceKind.MissingCollection, name, null, Shape(want), null));
                differences.AddRange(want.Indexes.Values.Select(i =>
                    new CatalogDifference(DifferenceKind.MissingIndex, name, i.Name, CatalogJson.ToBson(i), null)));
            }
            else
            {
                if (!want.HasSameShapeAs(have))
                {
                    differences.Add(new CatalogDifference(DifferenceKind.CollectionDiffers, name, null, Shape(want), Shape(have)));
                }
                differences.AddRange(CompareIndexes(want, have));
            }
        }
        return differences;
    }

    private static IEnumerable<CatalogDifference> CompareIndexes(CollectionDefinition want, CollectionDefinition have)
    {
        foreach (var name in want.Indexes.Keys.Union(have.Indexes.Keys).Order(StringComparer.Ordinal))
        {
            var expected = want.Indexes.GetValueOrDefault(name);
            var actual = have.Indexes.GetValueOrDefault(name);
            if (expected == actual) continue;
            yield return (expected, actual) switch
            {
                (null, _) => new CatalogDifference(DifferenceKind.UnexpectedIndex, want.Name, name, null, CatalogJson.ToBson(actual!)),
                (_, null) => new CatalogDifference(DifferenceKind.MissingIndex, want.Name, name, CatalogJson.ToBson(expected), null),
                _ => new CatalogDifference(DifferenceKind.IndexDiffers, want.Name, name, CatalogJson.ToBson(expected), CatalogJson.ToBson(actual)),
            };
        }
    }

    private static BsonDocument Shape(CollectionDefinition collection) => new()
    {
        { "type", collection.Type.ToMongoName() },
        { "options", CatalogJson.ToBson(collection.Options) },
    };
}
