using System.Reflection;
using BotCore.MigrationPortal.Engine;

namespace BotCore.MigrationPortal.Fixes;

/// <summary>A fix of this build with the source it was compiled from and that source's checksum (as <see cref="RegisteredMigration"/>).</summary>
public sealed record RegisteredFix(DataFix Definition, string Source, string Checksum)
{
    public string Id => Definition.Id;
    public string Description => Definition.Description;
    public string Collection => Definition.Collection;
    public string ShortChecksum => Checksum[..12];

    /// <summary>Why the fix cannot run on <paramref name="target"/> as its catalog stands (its collection is missing), or null: the pre-check and the runner ask it.</summary>
    public string? CannotRunOn(string target, Engine.Catalog.SchemaCatalog catalog) => catalog.Find(Collection) is null
        ? $"{target} has no collection {Collection} (it is at {catalog.Version}): the fix has nothing to change there. " +
          "Cancel this run, or migrate the target to a version that creates the collection first."
        : null;

    public static RegisteredFix FromSource(DataFix definition, string source) => new(definition, source, MigrationChecksum.Of(source));
}

/// <summary>The data fixes of this build (<c>fixes/</c>), by id; two with one id, or one that could not be undone, are refused at start.</summary>
public sealed class FixRegistry
{
    public FixRegistry(IEnumerable<RegisteredFix> fixes)
    {
        Fixes = fixes.OrderBy(f => f.Id, StringComparer.Ordinal).ToList();
        if (Fixes.Select(f => f.Definition.Problem()).FirstOrDefault(p => p is not null) is { } problem) throw new InvalidOperationException(problem);
        var duplicate = Fixes.GroupBy(f => f.Id, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException(
                $"Two fixes have the id {duplicate.Key}: {string.Join(", ", duplicate.Select(f => f.Definition.GetType().FullName))}. Each fix is one file in fixes/.");
        }
    }

    public IReadOnlyList<RegisteredFix> Fixes { get; }

    /// <summary>Every concrete <see cref="DataFix"/> in the assembly, with its embedded source.</summary>
    public static FixRegistry FromAssembly(Assembly assembly) =>
        new(assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(DataFix)) && !t.IsAbstract)
            .Select(t => (DataFix)Activator.CreateInstance(t)!)
            .Select(f => RegisteredFix.FromSource(f, MigrationChecksum.EmbeddedSource(assembly, f.SourceFileName, "fixes")
                ?? throw new InvalidOperationException($"Fix {f.Id} ({f.GetType().Name}) has no embedded source '{f.SourceFileName}': keep fixes in fixes/."))));

    public RegisteredFix? Find(string id) => Fixes.FirstOrDefault(f => string.Equals(f.Id, id, StringComparison.Ordinal));

    /// <exception cref="BadInputException">No fix of this build has the id.</exception>
    public RegisteredFix Get(string id) => Find(id) ?? throw new BadInputException(
        $"Unknown fix '{id}': this build has {(Fixes.Count == 0 ? "no fix" : string.Join(", ", Fixes.Select(f => f.Id)))}.");
}
