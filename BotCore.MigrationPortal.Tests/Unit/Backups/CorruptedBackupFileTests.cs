using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Backups.Layout;
using BotCore.MigrationPortal.Backups.Storage;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Tests.Unit.Backups;

/// <summary>
/// A backup file damaged on disk (cut short, a byte changed, emptied) is found out when it is read, with a message that names
/// the file and what is wrong, and never as a crash.
/// </summary>
public sealed class CorruptedBackupFileTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "botcore-backup-tests", Guid.NewGuid().ToString("N"));
    private static readonly CollectionMetadata Users = CollectionMetadata.Plain("users");

    public CorruptedBackupFileTests() => Directory.CreateDirectory(folder);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>Writes 2,000 users into a file, as a backup does, and returns its path and what was written.</summary>
    private async Task<(string Path, DataSummary Written)> FileAsync()
    {
        var path = Path.Combine(folder, "users.bson.gz");
        await using var file = BackupFiles.Create(path);
        await using var writer = new CollectionDataWriter(file);
        foreach (var user in BackupLayoutTests.Users(2000)) await writer.WriteAsync(user.ToBson(), Token);
        return (path, await writer.CompleteAsync());
    }

    private static async Task<DataSummary> ReadAsync(string path)
    {
        await using var file = BackupFiles.OpenRead(path);
        return await new CollectionDataReader(file, Path.GetFileName(path)).SummarizeAsync(Token);
    }

    [Fact]
    public async Task The_file_as_written_reads_back()
    {
        var (path, written) = await FileAsync();

        Assert.Equal(written, await ReadAsync(path));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.999)]
    public async Task A_file_cut_short_is_reported_as_truncated(double kept)
    {
        var (path, _) = await FileAsync();
        var bytes = await File.ReadAllBytesAsync(path, Token);
        await File.WriteAllBytesAsync(path, bytes[..(int)(bytes.Length * kept)], Token);

        var damage = await Assert.ThrowsAsync<BackupFileDamagedException>(() => ReadAsync(path));

        Assert.Equal("users.bson.gz", damage.File);
        Assert.StartsWith("users.bson.gz is damaged: ", damage.Message);
        Assert.Contains("truncated", damage.Message);
    }

    [Fact]
    public async Task A_file_that_lost_only_its_last_bytes_is_reported_as_truncated()
    {
        var (path, _) = await FileAsync();
        var bytes = await File.ReadAllBytesAsync(path, Token);
        await File.WriteAllBytesAsync(path, bytes[..^3], Token);

        var damage = await Assert.ThrowsAsync<BackupFileDamagedException>(() => ReadAsync(path));

        Assert.Contains("truncated", damage.Message);
    }

    [Fact]
    public async Task A_changed_byte_in_the_compressed_data_is_reported_as_corrupt()
    {
        var (path, _) = await FileAsync();
        var bytes = await File.ReadAllBytesAsync(path, Token);
        bytes[bytes.Length / 2] ^= 0x5a;
        await File.WriteAllBytesAsync(path, bytes, Token);

        var damage = await Assert.ThrowsAsync<BackupFileDamagedException>(() => ReadAsync(path));

        Assert.Contains("users.bson.gz is damaged", damage.Message);
        Assert.Matches("corrupt|truncated|changed|claims", damage.Message);
    }

    [Fact]
    public async Task A_changed_checksum_in_the_trailer_is_reported_as_corrupt()
    {
        var (path, _) = await FileAsync();
        var bytes = await File.ReadAllBytesAsync(path, Token);
        bytes[^6] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes, Token);

        var damage = await Assert.ThrowsAsync<BackupFileDamagedException>(() => ReadAsync(path));

        Assert.Contains("corrupt", damage.Message);
    }

    [Fact]
    public async Task An_empty_file_and_a_file_that_is_not_gzip_are_reported_as_such()
    {
        var (path, _) = await FileAsync();
        await File.WriteAllBytesAsync(path, [], Token);
        var empty = await Assert.ThrowsAsync<BackupFileDamagedException>(() => ReadAsync(path));
        await File.WriteAllTextAsync(path, "this is a text file, not a backup at all", Token);
        var text = await Assert.ThrowsAsync<BackupFileDamagedException>(() => ReadAsync(path));

        Assert.Contains("too short for a gzip file", empty.Message);
        Assert.Contains("does not start like a gzip file", text.Message);
    }

    [Fact]
    public async Task A_missing_file_is_reported_as_missing()
    {
        var damage = Assert.Throws<BackupFileDamagedException>(() => BackupFiles.OpenRead(Path.Combine(folder, "gone.bson.gz")));

        Assert.Equal("gone.bson.gz is damaged: it is missing.", damage.Message);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Damaged_metadata_is_reported_with_the_file_name()
    {
        var path = Path.Combine(folder, "users.metadata.json.gz");
        await using (var file = BackupFiles.Create(path)) await CollectionMetadataFile.WriteAsync(file, Users, Token);
        var bytes = await File.ReadAllBytesAsync(path, Token);
        await File.WriteAllBytesAsync(path, bytes[..^2], Token);

        await using var damaged = BackupFiles.OpenRead(path);
        var damage = await Assert.ThrowsAsync<BackupFileDamagedException>(() => CollectionMetadataFile.ReadAsync(damaged, "users.metadata.json.gz", Token));

        Assert.StartsWith("users.metadata.json.gz is damaged", damage.Message);
    }
}
