namespace BotCore.MigrationPortal.Engine.Steps;

/// <summary>
/// The parent paths of the field paths a step adds or removes, shallowest first: <c>metadata</c> for
/// <c>metadata.var_contribution</c>; <c>a</c> and <c>a.b</c> for <c>a.b.c</c>. <c>$set</c> on a dotted path creates the missing
/// parents as embedded documents, and fails the whole update (PathNotViable) where one exists and is not a document: null, a
/// scalar or an array.
/// </summary>
/// <remarks>
/// Paths nested more than one level deep are supported exactly: every level is a parent of its own, which the step may create
/// (and records) on its own, and which its inverse removes on its own, deepest first.
/// </remarks>
public sealed class ParentPaths
{
    private ParentPaths(IReadOnlyList<string> paths) => Paths = paths;

    public IReadOnlyList<string> Paths { get; }

    /// <summary>True when every field is at the top level.</summary>
    public bool IsEmpty => Paths.Count == 0;

    /// <summary>The top-level fields that hold the parents: what to show of a document.</summary>
    public IReadOnlyList<string> Roots => Paths.Select(path => path.Split('.')[0]).Distinct(StringComparer.Ordinal).ToList();

    /// <exception cref="ArgumentException">
    /// A path has an empty part or one that starts with '$' (aggregation cannot name it), or one field is also the parent of
    /// another: a step then could not tell the parent it creates from the field it adds.
    /// </exception>
    public static ParentPaths Of(IEnumerable<string> fields)
    {
        var names = fields.ToList();
        foreach (var field in names)
        {
            if (field.Split('.').Any(part => part.Length == 0 || part.StartsWith('$')))
            {
                throw new ArgumentException($"Field path '{field}' has an empty part or one that starts with '$'.", nameof(fields));
            }
        }
        var parents = names.SelectMany(AncestorsOf).Distinct(StringComparer.Ordinal).ToList();
        if (names.FirstOrDefault(field => parents.Contains(field, StringComparer.Ordinal)) is { } both)
        {
            throw new ArgumentException(
                $"Field '{both}' is also the parent of {string.Join(", ", names.Where(field => field.StartsWith(both + ".", StringComparison.Ordinal)))}: " +
                "add the parent or the fields inside it, not both.", nameof(fields));
        }
        return new ParentPaths(parents.OrderBy(Depth).ToList());
    }

    private static IEnumerable<string> AncestorsOf(string field)
    {
        for (var dot = field.IndexOf('.'); dot > 0; dot = field.IndexOf('.', dot + 1))
        {
            yield return field[..dot];
        }
    }

    private static int Depth(string path) => path.Count(c => c == '.');
}
