using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Text;

namespace BotCore.MigrationPortal.Cli.Verbs;

public sealed class CatalogVerb(MigrationRegistry registry, CliConsole console) : ICliVerb
{
    public string Name => "catalog";
    public string Usage => "catalog --version V [--json]";
    public string Summary => "the catalog a database should have at version V (collections, options, indexes)";
    public IReadOnlyCollection<string> ValueOptions => ["version"];
    public IReadOnlyCollection<string> FlagOptions => ["json"];

    public Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var catalog = registry.ExpectedCatalogAt(SchemaVersion.Parse(arguments.Required("version")));
        if (arguments.Flag("json"))
        {
            console.Out.WriteLine(CatalogJson.ToJson(catalog));
            return Task.FromResult(ExitCodes.Success);
        }
        console.Out.WriteLine($"Expected catalog at {catalog.Version}: {Counted.Of(catalog.Collections.Count, "collection")}");
        foreach (var collection in catalog.Collections.Values)
        {
            console.Out.WriteLine($"  {collection.Name} ({collection.Type.ToMongoName()}) {CatalogJson.Inline(CatalogJson.ToBson(collection.Options))}");
            foreach (var index in collection.Indexes.Values) console.Out.WriteLine($"    index {CatalogJson.Inline(CatalogJson.ToBson(index))}");
        }
        return Task.FromResult(ExitCodes.Success);
    }
}
