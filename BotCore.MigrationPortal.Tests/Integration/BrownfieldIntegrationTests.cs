using BotCore.MigrationPortal.Adoption;
using BotCore.MigrationPortal.Cli;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.History;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Targets;
using BotCore.MigrationPortal.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Bson;
using MongoDB.Driver;
using static BotCore.MigrationPortal.Tests.Support.EngineHarness;

namespace BotCore.MigrationPortal.Tests.Integration;

/// <summary>
/// Bot Core's database as the spec's scripts 1.0.0–1.2.0 left it, with the application's data and a second version document (issue 7):
/// adopted at 1.2.0, then 1.3.0 up, down and up again. On both backends (<see cref="ScenarioBackends"/>): MongoDB replays the scripts
/// (<see cref="SpecScriptsMongoDatabase"/>) and checks the documents too; the sandbox's simulated "legacy" target runs here.
/// </summary>
public sealed class BrownfieldIntegrationTests(MongoFixture mongo)
{
    private const string Reason = "built by the spec's scripts 1.0.0, 1.1.0 and 1.2.0 (1.0.0 twice)";
    private static readonly SchemaVersion V120 = V("1.2.0");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(ScenarioBackends.Sandbox)]
    [InlineData(ScenarioBackends.MongoDb)]
    public async Task Adoption_proposes_1_2_0_keeps_the_version_document_the_scripts_updated_and_touches_no_data_or_index(string backend)
    {
        using var scenario = await ScenarioBackends.StartBuiltBySpecScriptsAsync(backend, mongo, Token);
        var (target, registry) = (scenario.Portal.Targets.Get(scenario.Target), Registry(scenario));
        var before = await target.ReadForAdoptionAsync(Token);
        var comparison = BaselineComparison.Of(registry, before);
        Assert.True(comparison.NeedsAdoption);
        Assert.Equal((V120, BaselineFit.Exact), (comparison.Proposed!.Version, comparison.Proposed.Fit));
        Assert.All(comparison.Versions.Where(v => v.Version != V120), v => Assert.Equal(BaselineFit.Far, v.Fit));
        var current = Assert.Single(before.VersionDocuments, d => d.Value == "1.2.0");
        var stale = Assert.Single(before.VersionDocuments, d => d.Value == "1.0.0");
        Assert.Equal(2, before.VersionDocuments.Count);
        Assert.All(before.VersionDocuments, d => Assert.Equal(SpecScriptsDatabase.ScriptsUpdatedBy, d.UpdatedBy));
        Assert.Equal(current, comparison.DocumentToKeep(V120));
        var data = await ApplicationDataAsync(scenario.Database);

        await Writer(scenario).AdoptAsync(target, V120, Reason, "olga", "adopt-1", differencesAccepted: false, Token);

        var after = await target.ReadForAdoptionAsync(Token);
        var kept = Assert.Single(after.VersionDocuments);
        Assert.Equal((current.Id, "1.2.0", "olga", current.CreatedAt), (kept.Id, kept.Value, kept.UpdatedBy, kept.CreatedAt));
        Assert.DoesNotContain(after.VersionDocuments, d => d.Id == stale.Id);
        Assert.Null(AdoptionNeed.Of(after));
        Assert.Equal(CatalogJson.ToJson(before.Collections), CatalogJson.ToJson(after.Collections));
        var history = await target.ReadHistoryAsync(Token);
        Assert.Equal(V120, history.Applied);
        Assert.Equal(["1.0.0", "1.1.0", "1.2.0"], history.Changelog.Select(e => e.Version));
        Assert.Equal(registry.Migrations.Take(3).Select(m => m.Checksum), history.Changelog.Select(e => e.Checksum));
        Assert.All(history.Changelog, e =>
        {
            Assert.Equal((ChangelogEntry.Baselined, "up", "adopt-1", "olga"), (e.Status, e.Direction, e.RunId, e.AppliedBy));
            Assert.Equal($"adopted at 1.2.0: {Reason}", e.Note);
        });
        Assert.All(MigrationStatus.For(registry, history).Take(3), s => Assert.Equal(MigrationState.Applied, s.State));
        Assert.Empty(DriftReport.Of(registry, await target.ReadCatalogAsync(Token)).Blocking);
        Assert.Equal(data, await ApplicationDataAsync(scenario.Database));

        var again = await Assert.ThrowsAsync<MigrationEngineException>(() =>
            Writer(scenario).AdoptAsync(target, V120, Reason, "olga", "adopt-2", differencesAccepted: false, Token));
        Assert.Contains("already has a migration changelog (3 entries)", again.Message);

        if (scenario.Database is not { } database) return;
        // The spec's own document, kept under its ObjectId, with the scripts' fields and BSON dates; the application's setting beside it.
        var config = await database.GetCollection<BsonDocument>(TargetCollections.SystemConfig).Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(Token);
        var version = Assert.Single(config, d => d["key"] == VersionDocument.Key);
        Assert.Equal(ObjectId.Parse(current.Id), version["_id"].AsObjectId);
        Assert.Equal(("1.2.0", "system", "Initial schema version", true), (version["value"].AsString, version["category"].AsString,
            version["description"].AsString, version["is_active"].AsBoolean));
        Assert.Equal((BsonType.DateTime, BsonType.DateTime), (version["updated_at"].BsonType, version["created_at"].BsonType));
        Assert.Single(config, d => d["key"] == SpecScriptsMongoDatabase.ApplicationConfigKey);
    }

    [Theory]
    [InlineData(ScenarioBackends.Sandbox)]
    [InlineData(ScenarioBackends.MongoDb)]
    public async Task Once_adopted_1_3_0_goes_up_down_and_up_again_keeping_the_application_s_data_with_no_blocking_drift(string backend)
    {
        using var scenario = await ScenarioBackends.StartBuiltBySpecScriptsAsync(backend, mongo, Token);
        var (target, registry) = (scenario.Portal.Targets.Get(scenario.Target), Registry(scenario));
        await Writer(scenario).AdoptAsync(target, V120, Reason, "olga", "adopt-1", differencesAccepted: false, Token);
        var adopted = await ApplicationDataAsync(scenario.Database);

        // 1.3.0 is a draft: named explicitly, as a DBA must.
        await scenario.Portal.MigrateAsync(scenario.Target, "1.3.0");
        await AssertNoBlockingDriftAsync(target, registry, "1.3.0");
        await AssertRiskFieldsAsync(scenario.Database);

        await scenario.Portal.MigrateAsync(scenario.Target, "1.2.0");
        await AssertNoBlockingDriftAsync(target, registry, "1.2.0");
        var down = await target.ReadCatalogAsync(Token);
        Assert.Null(down.Find("risk_metrics"));
        Assert.NotNull(down.Find("positions"));
        Assert.NotNull(down.Find(SpecScriptsDatabase.ApplicationCollection)?.Indexes.GetValueOrDefault(SpecScriptsDatabase.ApplicationIndex));
        // Byte for byte: the fields 1.3.0 added are gone, the metadata it created is gone, the application's empty metadata stays.
        Assert.Equal(adopted, await ApplicationDataAsync(scenario.Database));

        await scenario.Portal.MigrateAsync(scenario.Target, "1.3.0");
        await AssertNoBlockingDriftAsync(target, registry, "1.3.0");
        await AssertRiskFieldsAsync(scenario.Database);
        var history = await target.ReadHistoryAsync(Token);
        Assert.Equal(
            [("1.0.0", "up", ChangelogEntry.Baselined), ("1.1.0", "up", ChangelogEntry.Baselined), ("1.2.0", "up", ChangelogEntry.Baselined),
                ("1.3.0", "up", ChangelogEntry.Applied), ("1.3.0", "down", ChangelogEntry.Applied), ("1.3.0", "up", ChangelogEntry.Applied)],
            history.Changelog.Select(e => (e.Version, e.Direction, e.Status)));
    }

    [Theory]
    [InlineData(ScenarioBackends.Sandbox)]
    [InlineData(ScenarioBackends.MongoDb)]
    public async Task An_adoption_that_stopped_before_its_changelog_is_written_still_reads_as_not_adopted_and_completes_when_run_again(string backend)
    {
        using var scenario = await ScenarioBackends.StartBuiltBySpecScriptsAsync(backend, mongo, Token);
        var (target, registry) = (scenario.Portal.Targets.Get(scenario.Target), Registry(scenario));
        var keep = BaselineComparison.Of(registry, await target.ReadForAdoptionAsync(Token)).DocumentToKeep(V120)!;
        // What a crash leaves after the version document was set and the other deleted, before the changelog entries went in.
        await target.AdoptAsync(V120, keep.Id, [], "olga", Token);
        Assert.Contains("no migration changelog", (await TargetReading.ReadAsync(target, Token)).NotAdopted);

        await Writer(scenario).AdoptAsync(target, V120, Reason, "olga", "adopt-2", differencesAccepted: false, Token);

        Assert.Equal(keep.Id, Assert.Single((await target.ReadForAdoptionAsync(Token)).VersionDocuments).Id);
        var reading = await TargetReading.ReadAsync(target, Token);
        Assert.Null(reading.NotAdopted);
        Assert.Equal(["1.0.0", "1.1.0", "1.2.0"], reading.History!.Changelog.Select(e => e.Version));
    }

    [Theory]
    [InlineData(ScenarioBackends.Sandbox)]
    [InlineData(ScenarioBackends.MongoDb)]
    public async Task The_baseline_verb_compares_proposes_1_2_0_and_adopts_with_the_reason_and_confirmation(string backend)
    {
        using var scenario = await ScenarioBackends.StartBuiltBySpecScriptsAsync(backend, mongo, Token);
        // The CLI composes its own host: on MongoDB it reaches the same database as target "it"; in the sandbox its "legacy" starts afresh.
        var (settings, sandbox) = scenario.Database is { } database
            ? (new Dictionary<string, string?>
            {
                ["Targets:it:ConnectionString"] = mongo.ConnectionStringFor(database), ["Targets:it:Database"] = database.DatabaseNamespace.DatabaseName,
                ["Targets:it:Tier"] = "Development",
            }, Array.Empty<string>())
            : (new Dictionary<string, string?>(), ["--sandbox"]);
        var production = scenario.Target == "legacy" ? ["--confirm-production"] : Array.Empty<string>();

        var (compared, comparison) = await CliAsync(settings, ["baseline", .. sandbox, "--target", scenario.Target, "--json"]);

        Assert.Equal(ExitCodes.Success, compared);
        var json = BsonDocument.Parse(comparison);
        Assert.Equal(("1.2.0", true, 0), (json["proposed"].AsString, json["needsAdoption"].AsBoolean, json["changelogEntries"].AsInt32));
        Assert.Equal(["1.0.0", "1.2.0"], json["versionDocuments"].AsBsonArray.Select(d => d["value"].AsString).Order());

        var (adopted, output) = await CliAsync(settings,
            ["baseline", .. sandbox, "--target", scenario.Target, "--at", "1.2.0", "--reason", Reason, "--confirm", .. production]);

        Assert.Equal(ExitCodes.Success, adopted);
        Assert.Matches($@"^Adopted {scenario.Target} at 1\.2\.0: keeps \w+: value ""1\.2\.0"".* and sets it to 1\.2\.0; deletes 1 other: \w+: value ""1\.0\.0"".*; " +
            "3 changelog entries marked baselined. No data or index was touched.", output.Trim());
        if (scenario.Database is null) return;
        var history = await scenario.Portal.Targets.Get(scenario.Target).ReadHistoryAsync(Token);
        Assert.Equal((V120, 3), (history.Applied, history.Changelog.Count(e => e.Status == ChangelogEntry.Baselined && e.Note!.Contains(Reason))));
    }

    [Fact]
    public async Task The_sandbox_s_simulated_spec_scripts_database_is_what_the_scripts_build()
    {
        var database = mongo.NewDatabase();
        // Bot Core's own scripts built this database before the portal existed: as the administrator, not as the portal's user.
        await SpecScriptsMongoDatabase.BuildAsync(mongo.AsAdmin(database), DateTime.UtcNow, Token);

        var collections = await MongoCatalogReader.ReadCollectionsAsync(database, Token);
        var documents = await MongoCatalogReader.ReadVersionDocumentsAsync(database, Token);

        Assert.Empty(CatalogDiff.Between(SpecScriptsDatabase.Collections(EngineHarness.Migrations, V120), collections));
        Assert.Equal(SpecScriptsDatabase.VersionDocuments(V120).Select(d => (d.Value, d.UpdatedBy)), documents.Select(d => (d.Value, d.UpdatedBy)));
        // The scripts' "minimum: 0.0" arrived as int32 (js-bson); the catalog still reads it as the migration's 0.0.
        var analyses = await (await database.ListCollectionsAsync(new ListCollectionsOptions { Filter = new BsonDocument("name", "ai_analysis_results") }, Token))
            .SingleAsync(Token);
        Assert.Equal(BsonType.Int32, analyses["options"]["validator"]["$jsonSchema"]["properties"]["confidence"]["minimum"].BsonType);
    }

    /// <summary>
    /// Why the builder drops market_data before it runs 1.0.0 again: run again as it is, the spec's 1.0.0 stops on MongoDB 7.0 at its
    /// create of market_data (NamespaceExists, 48), after the identical creates of users and trades passed and before its insertOne, so
    /// it leaves no second version document; from 7.1 on (SERVER-76547) it goes through and does leave one.
    /// </summary>
    [Fact]
    public async Task The_spec_s_1_0_0_run_again_as_it_is_stops_at_market_data_on_MongoDB_7_0_before_its_version_document()
    {
        // Bot Core's own script, run as the administrator: this test is about MongoDB and the script, not about the portal.
        var database = mongo.AsAdmin(mongo.NewDatabase());
        await SpecScriptsMongoDatabase.InitialSchemaAsync(database, DateTime.UtcNow, Token);
        var build = await database.Client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("buildInfo", 1), cancellationToken: Token);
        var server = new Version(build["versionArray"][0].ToInt32(), build["versionArray"][1].ToInt32());

        var again = await Record.ExceptionAsync(() => SpecScriptsMongoDatabase.InitialSchemaAsync(database, DateTime.UtcNow, Token));

        var documents = await MongoCatalogReader.ReadVersionDocumentsAsync(database, Token);
        if (server >= new Version(7, 1))
        {
            Assert.Null(again);
            Assert.Equal(["1.0.0", "1.0.0"], documents.Select(d => d.Value));
            return;
        }
        var refused = Assert.IsAssignableFrom<MongoCommandException>(again);
        Assert.Equal(48, refused.Code);
        // Before 7.0 the first create (users) is refused already; 7.0 passes the plain collections and refuses the time series.
        if (server == new Version(7, 0)) Assert.Contains("market_data", refused.Message);
        Assert.Equal(["1.0.0"], documents.Select(d => d.Value));
    }

    private static MigrationRegistry Registry(ScenarioPortal scenario) => scenario.Portal.Services.GetRequiredService<MigrationRegistry>();

    /// <summary>The portal's adoption, over the portal's own registry and clock (the CLI registers it; the portal's pages do not adopt).</summary>
    private static BaselineWriter Writer(ScenarioPortal scenario) => ActivatorUtilities.CreateInstance<BaselineWriter>(scenario.Portal.Services);

    private static async Task AssertNoBlockingDriftAsync(IMigrationTarget target, MigrationRegistry registry, string version)
    {
        var report = DriftReport.Of(registry, await target.ReadCatalogAsync(Token));
        Assert.Equal(V(version), report.Version);
        Assert.True(report.Blocking.Count == 0, string.Join("; ", report.Blocking.Select(d => d.Describe())));
    }

    /// <summary>1.3.0's fields on every position and snapshot, below the application's own; nothing to see in the sandbox.</summary>
    private static async Task AssertRiskFieldsAsync(IMongoDatabase? database)
    {
        if (database is null) return;
        var positions = await database.GetCollection<BsonDocument>("positions").Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(Token);
        Assert.Equal(3, positions.Count);
        Assert.All(positions, p => Assert.Equal((Decimal128.Parse("0.00"), 0.0, 0.0),
            (p["metadata"]["var_contribution"].AsDecimal128, p["metadata"]["correlation_score"].AsDouble, p["metadata"]["concentration_risk"].AsDouble)));
        Assert.Equal("ai", positions.Single(p => p["symbol"] == "ETHUSDT")["metadata"]["opened_by"].AsString);
        var snapshots = await database.GetCollection<BsonDocument>(SpecScriptsDatabase.ApplicationCollection).Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(Token);
        Assert.Equal(2, snapshots.Count);
        Assert.All(snapshots, s => Assert.Equal(Decimal128.Parse("0.00"), s["var_95"].AsDecimal128));
    }

    /// <summary>
    /// Every document and index spec of the database but the version documents and the portal's bookkeeping, as the server returns
    /// them (bytes, by _id); empty in the sandbox, which holds no documents.
    /// </summary>
    private static async Task<IReadOnlyDictionary<string, string>> ApplicationDataAsync(IMongoDatabase? database)
    {
        var data = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (database is null) return data;
        var names = await (await database.ListCollectionNamesAsync(cancellationToken: Token)).ToListAsync(Token);
        foreach (var name in names.Where(n => n == TargetCollections.SystemConfig || !TargetCollections.IsOutsideCatalog(n)))
        {
            var collection = database.GetCollection<RawBsonDocument>(name);
            var filter = name == TargetCollections.SystemConfig ? new BsonDocument("key", new BsonDocument("$ne", VersionDocument.Key)) : new BsonDocument();
            var documents = await collection.Find(filter).Sort(new BsonDocument("_id", 1)).ToListAsync(Token);
            data[name] = string.Join('\n', documents.Select(d => Convert.ToHexString(d.ToBson())));
            foreach (var document in documents) document.Dispose();
            var indexes = await (await database.GetCollection<BsonDocument>(name).Indexes.ListAsync(Token)).ToListAsync(Token);
            data[$"{name} indexes"] = string.Join('\n', indexes.Select(i => i.ToJson()));
        }
        return data;
    }

    private static async Task<(int ExitCode, string Out)> CliAsync(IDictionary<string, string?> settings, string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CliApplication.RunAsync(args, new CliConsole(output, error), builder => builder.AddInMemoryCollection(settings), Token);
        Assert.True(error.ToString().Length == 0, error.ToString());
        return (exitCode, output.ToString());
    }
}
