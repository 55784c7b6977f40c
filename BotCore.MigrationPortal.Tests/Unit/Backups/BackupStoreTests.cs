using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Backups.Storage;
using BotCore.MigrationPortal.Security;
using Microsoft.Extensions.Logging.Abstractions;

namespace BotCore.MigrationPortal.Tests.Unit.Backups;

/// <summary>Backup ids, where the files go, and the manifests on disk.</summary>
public sealed class BackupStoreTests : IDisposable
{
    private static readonly DateTime At = new(2026, 3, 2, 9, 30, 15, DateTimeKind.Utc);
    private readonly string root = Path.Combine(Path.GetTempPath(), "botcore-backup-tests", Guid.NewGuid().ToString("N"));
    private readonly BackupStore store;

    public BackupStoreTests() => store = new BackupStore(new BackupPaths(root), NullLogger<BackupStore>.Instance);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    private static BackupManifest Manifest(string id, DateTime createdAt) => new(id, "production", "bot_core_db", "r-42", createdAt, "olga", false,
        [new BackupCollection("users", "collection", 3, 1200, new string('a', 64)), new BackupCollection("system_config", "collection", 1, 300, new string('b', 64))],
        1500, new BackupVerification(createdAt.AddMinutes(1), true, ["users: 3 documents and content hash match"]))
    {
        SchemaVersion = "1.2.0",
        AbsentCollections = ["ai_analysis_cache"],
        Restores = [new BackupRestore($"restore-{id}-1", "alice", createdAt.AddHours(1), RestoreStatus.Succeeded, createdAt.AddHours(1.1), "restored")],
    };

    private async Task<BackupManifest> SavedAsync(string id, DateTime createdAt)
    {
        var manifest = Manifest(id, createdAt);
        Directory.CreateDirectory(store.Paths.Folder(id));
        await store.SaveAsync(manifest, Token);
        return manifest;
    }

    [Fact]
    public void Ids_say_when_and_which_target_and_only_their_own_shape_is_accepted()
    {
        var id = BackupIds.New("Production EU", At);

        Assert.Matches("^20260302-093015-production_eu-[0-9a-f]{4}$", id);
        Assert.True(BackupIds.IsValid(id));
        Assert.False(BackupIds.IsValid("../../etc"));
        Assert.False(BackupIds.IsValid("20260302-093015-dev-12345/../x"));
        Assert.False(BackupIds.IsValid(null));
        Assert.Equal($"restore-{id}-2", BackupIds.RestoreOperation(id, 2));
        Assert.True(BackupIds.IsOperation(BackupIds.RestoreOperation(id, 2)));
        Assert.True(BackupIds.IsOperation(BackupIds.VerifyOperation(id)));
        Assert.True(BackupIds.IsOperation(BackupIds.BackupOperation("dev", At)));
        Assert.False(BackupIds.IsOperation("r-42"));
    }

    [Fact]
    public void A_backup_is_laid_out_as_mongodump_lays_out_a_database_with_the_manifest_beside_it()
    {
        var paths = new BackupPaths("/var/backups");
        var files = paths.Files("20260302-093015-dev-ab12", "bot_core_db");

        Assert.Equal("/var/backups/20260302-093015-dev-ab12/manifest.json", paths.Manifest("20260302-093015-dev-ab12"));
        Assert.Equal("/var/backups/20260302-093015-dev-ab12/bot_core_db/users.bson.gz", files.Data("users", "collection"));
        Assert.Equal("/var/backups/20260302-093015-dev-ab12/bot_core_db/system.buckets.market_data.bson.gz", files.Data("market_data", "timeseries"));
        Assert.Equal("/var/backups/20260302-093015-dev-ab12/bot_core_db/users.metadata.json.gz", files.Metadata("users"));
    }

    [Fact]
    public async Task A_manifest_is_written_as_readable_json_and_read_back_whole()
    {
        var saved = await SavedAsync("20260302-093015-production-ab12", At);

        var json = await File.ReadAllTextAsync(store.Paths.Manifest(saved.Id), Token);
        var read = await store.FindAsync(saved.Id, Token);

        Assert.Contains("\"target\": \"production\"", json);
        Assert.Contains("\"status\": \"Succeeded\"", json);
        Assert.DoesNotContain("isVerified", json);
        Assert.NotNull(read);
        Assert.Equal((saved.Id, saved.Target, saved.RunId, saved.CreatedAt, saved.SchemaVersion), (read.Id, read.Target, read.RunId, read.CreatedAt, read.SchemaVersion));
        Assert.Equal(DateTimeKind.Utc, read.CreatedAt.Kind);
        Assert.Equal(saved.Collections, read.Collections);
        Assert.Equal(saved.AbsentCollections, read.AbsentCollections);
        Assert.Equal(saved.Restores, read.Restores);
        Assert.Equal(saved.Verification!.Details, read.Verification!.Details);
        Assert.True(read.IsVerified);
    }

    [Fact]
    public async Task Lists_finished_backups_newest_first_and_leaves_out_unfinished_and_unreadable_ones()
    {
        await SavedAsync("20260301-080000-production-aaaa", At.AddDays(-1));
        await SavedAsync("20260302-093015-production-bbbb", At);
        Directory.CreateDirectory(store.Paths.Folder("20260302-100000-production-cccc"));
        Directory.CreateDirectory(store.Paths.Folder("20260302-110000-production-dddd"));
        await File.WriteAllTextAsync(store.Paths.Manifest("20260302-110000-production-dddd"), "{ not json", Token);
        Directory.CreateDirectory(Path.Combine(root, "not-a-backup"));

        var listed = await store.ListAsync(Token);

        Assert.Equal(["20260302-093015-production-bbbb", "20260301-080000-production-aaaa"], listed.Select(b => b.Id));
    }

    [Fact]
    public async Task An_id_that_is_not_one_never_reaches_the_file_system()
    {
        Assert.Null(await store.FindAsync("../outside", Token));
        await Assert.ThrowsAsync<ActionRefusedException>(() => store.GetAsync("../outside", Token));
        Assert.Throws<ArgumentException>(() => store.Delete(".."));
    }

    [Fact]
    public async Task Updates_change_the_manifest_one_at_a_time_and_deleting_removes_the_folder()
    {
        var saved = await SavedAsync("20260302-093015-production-ab12", At);

        await Task.WhenAll(Enumerable.Range(1, 20).Select(i => store.UpdateAsync(saved.Id,
            m => m with { Restores = [.. m.Restores, new BackupRestore($"restore-{i}", "alice", At, RestoreStatus.Queued)] }, Token)));
        var updated = await store.GetAsync(saved.Id, Token);
        store.Delete(saved.Id);

        Assert.Equal(21, updated.Restores.Count);
        Assert.False(Directory.Exists(store.Paths.Folder(saved.Id)));
        Assert.Empty(await store.ListAsync(Token));
    }
}
