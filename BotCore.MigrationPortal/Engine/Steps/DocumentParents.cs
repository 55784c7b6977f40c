using MongoDB.Bson;

namespace BotCore.MigrationPortal.Engine.Steps;

/// <summary>
/// What one document's parent paths mean for adding fields under them: blocked when one of them exists and is not an embedded
/// document (null, a scalar, an array), where <c>$set</c> would fail; otherwise the parents it lacks, which the step creates. It
/// decides as <see cref="FieldFilters.ParentsObjectsOrMissing"/> and <see cref="FieldFilters.ParentMissing"/> select on the server.
/// </summary>
/// <param name="Missing">The parents the document lacks, shallowest first; empty when blocked.</param>
public sealed record DocumentParents(bool Blocked, IReadOnlyList<string> Missing)
{
    public static DocumentParents Of(BsonDocument document, ParentPaths parents)
    {
        var missing = new List<string>();
        foreach (var path in parents.Paths)
        {
            switch (ValueAt(document, path))
            {
                case null:
                    missing.Add(path);
                    break;
                case BsonDocument:
                    break;
                default:
                    return new DocumentParents(true, []);
            }
        }
        return new DocumentParents(false, missing);
    }

    /// <summary>
    /// The value at a dotted path reached through embedded documents only, or null when it is missing. A path behind a value
    /// that is not a document counts as missing here: that value is itself a shallower parent, which blocks the document.
    /// </summary>
    private static BsonValue? ValueAt(BsonDocument document, string path)
    {
        BsonValue current = document;
        foreach (var part in path.Split('.'))
        {
            if (current is not BsonDocument embedded || !embedded.TryGetValue(part, out current)) return null;
        }
        return current;
    }
}
